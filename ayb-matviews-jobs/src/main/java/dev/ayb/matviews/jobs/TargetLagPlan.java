package dev.ayb.matviews.jobs;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.TargetLag;
import dev.ayb.matviews.jdbc.support.TargetedViews.Snapshot;
import dev.ayb.matviews.jdbc.support.TargetedViews.TargetedView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One planning decision, from what the planner read: when each view with a target is due ({@link TargetLag#due}),
 * and which refreshes to enqueue now. Pure, so that the rules are tested without a database or a clock.
 *
 * <p>Rules beyond the due time:
 * <ul>
 *   <li><b>Stacked views.</b> A due view is refreshed in one job together with the views with a target it reads
 *   (first) and those that read it (after), when they need a refresh too. A downstream view is behind as soon as a
 *   base table of its upstream changes, before the upstream is refreshed (its tracked sources include the base tables
 *   read through the upstream); refreshing it then would read the upstream's old rows, and the upstream's refresh
 *   would make it behind again: two refreshes for one change. Together, in dependency order, it is one.</li>
 *   <li><b>A view already in a queued or running target-lag job</b> is left to it; so is a view whose upstream is.</li>
 *   <li><b>The cap.</b> At most {@link TargetLagOptions#maxConcurrentRefreshes()} target-lag jobs are queued or running
 *   across the deployment; the most overdue views go first.</li>
 * </ul>
 *
 * @param groups  the refreshes to enqueue now, most overdue first; each lists its views in refresh order
 * @param plans   every view's due time by registration id (null: nothing to catch up with)
 * @param nextDue the earliest due time after now of a view not enqueued, or null
 */
record TargetLagPlan(List<List<Registration>> groups, Map<UUID, @Nullable Instant> plans,
                            @Nullable Instant nextDue) {

    static TargetLagPlan of(Snapshot snapshot, Instant now, TargetLagOptions options) {
        Map<QualifiedName, TargetedView> byName = new HashMap<>();
        Map<UUID, @Nullable Instant> plans = new LinkedHashMap<>();
        for (TargetedView view : snapshot.views()) {
            byName.put(view.registration().qualifiedName(), view);
            plans.put(view.registration().id(), due(view, options));
        }
        List<TargetedView> ready = new ArrayList<>();
        Instant nextDue = null;
        for (TargetedView view : snapshot.views()) {
            Instant due = plans.get(view.registration().id());
            if (due == null || view.refreshActive()) {
                continue;
            }
            if (due.isAfter(now)) {
                nextDue = nextDue == null || due.isBefore(nextDue) ? due : nextDue;
            } else {
                ready.add(view);
            }
        }
        ready.sort(Comparator.comparing((TargetedView v) -> plans.get(v.registration().id())));
        int free = options.maxConcurrentRefreshes() - snapshot.activeJobs();
        Set<UUID> taken = new HashSet<>();
        List<List<Registration>> groups = new ArrayList<>();
        for (TargetedView view : ready) {
            if (groups.size() >= free) {
                break;
            }
            if (taken.contains(view.registration().id()) || upstreamActive(view, byName)) {
                continue;
            }
            List<TargetedView> group = group(view, snapshot.views(), byName, plans, taken);
            group.forEach(member -> taken.add(member.registration().id()));
            groups.add(group.stream().map(TargetedView::registration).toList());
        }
        return new TargetLagPlan(groups, plans, nextDue);
    }

    private static @Nullable Instant due(TargetedView view, TargetLagOptions options) {
        Registration registration = view.registration();
        if (registration.targetLagMs() == null) {
            return null;
        }
        Duration target = Duration.ofMillis(registration.targetLagMs());
        Long expectedMs = view.expectedDurationMs() != null ? view.expectedDurationMs()
                : registration.lastRefreshDurationMs();
        Duration expected = Duration.ofMillis(expectedMs == null ? 0 : expectedMs);
        return TargetLag.due(registration, view.freshness(), expected, options.spacingFor(target));
    }

    private static boolean upstreamActive(TargetedView view, Map<QualifiedName, TargetedView> byName) {
        for (QualifiedName name : view.upstream()) {
            TargetedView upstream = byName.get(name);
            if (upstream != null && upstream.refreshActive()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The view, the views with a target it reads and those that read it or them, each only when it needs a refresh
     * and no other job has it, in dependency order: a view after every view it reads. A view's upstream list is
     * transitive (the catalog walk goes through every level), so ordering by how many of the group's views each reads
     * is a dependency order.
     */
    private static List<TargetedView> group(TargetedView view, List<TargetedView> all,
                                            Map<QualifiedName, TargetedView> byName,
                                            Map<UUID, @Nullable Instant> plans, Set<UUID> taken) {
        Set<QualifiedName> members = new HashSet<>();
        members.add(view.registration().qualifiedName());
        for (QualifiedName name : view.upstream()) {
            TargetedView upstream = byName.get(name);
            if (upstream != null && needsRefresh(upstream, plans, taken)) {
                members.add(name);
            }
        }
        Set<QualifiedName> roots = Set.copyOf(members);
        for (TargetedView other : all) {
            if (needsRefresh(other, plans, taken) && other.upstream().stream().anyMatch(roots::contains)) {
                members.add(other.registration().qualifiedName());
            }
        }
        List<TargetedView> ordered = new ArrayList<>();
        members.forEach(name -> ordered.add(byName.get(name)));
        ordered.sort(Comparator.comparingLong((TargetedView v) -> v.upstream().stream().filter(members::contains)
                .count()).thenComparing(v -> v.registration().qualifiedName()));
        return ordered;
    }

    private static boolean needsRefresh(TargetedView view, Map<UUID, @Nullable Instant> plans, Set<UUID> taken) {
        return plans.get(view.registration().id()) != null && !view.refreshActive()
                && !taken.contains(view.registration().id());
    }
}
