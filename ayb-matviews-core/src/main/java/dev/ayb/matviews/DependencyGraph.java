package dev.ayb.matviews;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which materialized views read from which, with plain views in between already seen through. Every
 * walk keeps a visited set and the ordering tolerates cycles, so no catalog content can make it loop.
 */
public final class DependencyGraph {
    private final Map<QualifiedName, Set<QualifiedName>> upstream = new HashMap<>();
    private final Map<QualifiedName, Set<QualifiedName>> downstream = new HashMap<>();

    /** @param readsFrom for each materialized view, the materialized views it reads from directly */
    public DependencyGraph(Map<QualifiedName, ? extends Collection<QualifiedName>> readsFrom) {
        readsFrom.forEach((view, sources) -> {
            for (QualifiedName source : sources) {
                if (source.equals(view)) {
                    continue;
                }
                upstream.computeIfAbsent(view, k -> new TreeSet<>()).add(source);
                downstream.computeIfAbsent(source, k -> new TreeSet<>()).add(view);
            }
        });
    }

    /** Every materialized view {@code view} depends on, in an order in which they can be refreshed. */
    public List<QualifiedName> upstreamOf(QualifiedName view) {
        return refreshOrder(reachable(view, upstream));
    }

    /** Every materialized view that depends on {@code view}, in an order in which they can be refreshed. */
    public List<QualifiedName> downstreamOf(QualifiedName view) {
        return refreshOrder(reachable(view, downstream));
    }

    /** The views to refresh for a cascade, sources before the views that read them. */
    public List<QualifiedName> refreshSet(QualifiedName view, Cascade cascade) {
        Set<QualifiedName> set = new LinkedHashSet<>();
        set.add(view);
        if (cascade.includesUpstream()) {
            set.addAll(reachable(view, upstream));
        }
        if (cascade.includesDownstream()) {
            set.addAll(reachable(view, downstream));
        }
        return refreshOrder(set);
    }

    private static Set<QualifiedName> reachable(QualifiedName start, Map<QualifiedName, Set<QualifiedName>> edges) {
        Set<QualifiedName> seen = new LinkedHashSet<>();
        Deque<QualifiedName> todo = new ArrayDeque<>(edges.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            QualifiedName next = todo.pop();
            if (!next.equals(start) && seen.add(next)) {
                todo.addAll(edges.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    /**
     * Kahn's algorithm restricted to {@code views}: a view comes after every view of the set it reads from.
     * Ties break by name so the order is stable. Views caught in a cycle (which PostgreSQL does not allow
     * for views, but a catalog is not ours to trust) come last, by name.
     */
    private List<QualifiedName> refreshOrder(Set<QualifiedName> views) {
        Map<QualifiedName, Integer> pending = new HashMap<>();
        for (QualifiedName view : views) {
            int count = 0;
            for (QualifiedName source : upstream.getOrDefault(view, Set.of())) {
                if (views.contains(source)) {
                    count++;
                }
            }
            pending.put(view, count);
        }
        TreeSet<QualifiedName> ready = new TreeSet<>();
        pending.forEach((view, count) -> {
            if (count == 0) {
                ready.add(view);
            }
        });
        List<QualifiedName> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            QualifiedName view = ready.pollFirst();
            order.add(view);
            for (QualifiedName reader : downstream.getOrDefault(view, Set.of())) {
                Integer count = pending.get(reader);
                if (count != null && count > 0) {
                    pending.put(reader, count - 1);
                    if (count == 1) {
                        ready.add(reader);
                    }
                }
            }
        }
        if (order.size() < views.size()) {
            TreeSet<QualifiedName> cyclic = new TreeSet<>(views);
            order.forEach(cyclic::remove);
            order.addAll(cyclic);
        }
        return order;
    }
}
