package dev.ayb.matviews.testkit.memory;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.spi.MatviewCatalog;
import dev.ayb.matviews.spi.ViewState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The materialized views a test declares, with their state and what each reads from. Thread-safe. */
public final class InMemoryCatalog implements MatviewCatalog {
    private final Map<QualifiedName, ViewState> views = new TreeMap<>();
    private final Map<QualifiedName, Set<QualifiedName>> readsFrom = new TreeMap<>();

    /** Declares a populated view with a usable unique index, refreshable in either mode. */
    public InMemoryCatalog create(QualifiedName view) {
        return create(new ViewState(view, true, true));
    }

    /** Declares a view, or replaces its state. */
    public synchronized InMemoryCatalog create(ViewState view) {
        views.put(view.name(), view);
        readsFrom.putIfAbsent(view.name(), new LinkedHashSet<>());
        return this;
    }

    /** Drops a view, as {@code DROP MATERIALIZED VIEW} would; views reading from it forget it. */
    public synchronized InMemoryCatalog drop(QualifiedName view) {
        views.remove(view);
        readsFrom.remove(view);
        readsFrom.values().forEach(upstream -> upstream.remove(view));
        return this;
    }

    /** Declares that {@code view} reads directly from {@code upstream}; both must be declared first. */
    public synchronized InMemoryCatalog dependsOn(QualifiedName view, QualifiedName upstream) {
        if (!views.containsKey(view) || !views.containsKey(upstream)) {
            throw new IllegalArgumentException("declare " + view + " and " + upstream + " first");
        }
        readsFrom.get(view).add(upstream);
        return this;
    }

    @Override
    public synchronized Optional<ViewState> describe(QualifiedName name) {
        return Optional.ofNullable(views.get(name));
    }

    @Override
    public synchronized List<ViewState> listMaterializedViews() {
        return new ArrayList<>(views.values());
    }

    @Override
    public synchronized Map<QualifiedName, Set<QualifiedName>> materializedViewDependencies() {
        Map<QualifiedName, Set<QualifiedName>> copy = new TreeMap<>();
        readsFrom.forEach((view, upstream) -> copy.put(view, Set.copyOf(upstream)));
        return copy;
    }
}
