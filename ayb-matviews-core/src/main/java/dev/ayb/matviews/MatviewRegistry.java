package dev.ayb.matviews;

import dev.ayb.matviews.spi.ChangeTracker;
import dev.ayb.matviews.spi.MatviewCatalog;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.spi.ViewState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Registrations of materialized views: register, look up, list, change the refresh mode, unregister,
 * and read the run history. Unregistering only removes the library's metadata (and the change-tracking
 * triggers of a tracked view); no method here ever creates, alters or drops a view. Starts no thread.
 */
public final class MatviewRegistry {
    /** History reads are capped so that one call cannot pull an unbounded result. */
    public static final int MAX_HISTORY_LIMIT = 1000;

    private final RegistrationStore store;
    private final MatviewCatalog catalog;
    private final ChangeTracker tracker;
    private final Clock clock;

    /** A registry without change tracking: turning it on is refused. */
    public MatviewRegistry(RegistrationStore store, MatviewCatalog catalog, Clock clock) {
        this(store, catalog, ChangeTracker.NONE, clock);
    }

    public MatviewRegistry(RegistrationStore store, MatviewCatalog catalog, ChangeTracker tracker, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The clock freshness reads "now" from. */
    Clock clock() {
        return clock;
    }

    /** The tracker refreshes report to and read freshness from. */
    ChangeTracker changeTracker() {
        return tracker;
    }

    /** Registers an existing materialized view in {@link RefreshMode#STANDARD} mode. */
    public Registration register(QualifiedName view) {
        return register(view, RefreshMode.STANDARD, RefreshTimeouts.NONE);
    }

    public Registration register(QualifiedName view, RefreshMode mode) {
        return register(view, mode, RefreshTimeouts.NONE);
    }

    /**
     * Registers a view after checking it is a materialized view in the database.
     *
     * @throws MatviewException {@link ErrorCode#VIEW_NOT_FOUND} when it is not (a table, a plain view,
     *                          nothing), {@link ErrorCode#ALREADY_REGISTERED} for a duplicate
     */
    public Registration register(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeouts, "timeouts");
        if (catalog.describe(view).isEmpty()) {
            throw new MatviewException(ErrorCode.VIEW_NOT_FOUND, view);
        }
        var now = clock.instant();
        return store.insert(new Registration(UUID.randomUUID(), view.schema(), view.view(), mode, timeouts,
                false, null, null, null, null, null, now, now));
    }

    /**
     * Registers a view, with exact change tracking when {@code changeTracking} is true (see
     * {@link ChangeTracker#enable}): the triggers are installed with the registration, or the registration is
     * removed again and the call fails, so nothing is left half done.
     *
     * @throws MatviewException as {@link #register(QualifiedName, RefreshMode, RefreshTimeouts)}, and
     *                          {@link ErrorCode#TRACKING_PERMISSION_DENIED} when a trigger cannot be installed
     */
    public Registration register(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts,
                                 boolean changeTracking) {
        Registration registered = register(view, mode, timeouts);
        if (!changeTracking) {
            return registered;
        }
        try {
            return tracker.enable(registered);
        } catch (RuntimeException e) {
            store.delete(registered.id());
            throw e;
        }
    }

    /**
     * Registers a view as {@link #register(QualifiedName, RefreshMode, RefreshTimeouts, boolean)} does, with a target
     * lag: the job runner then refreshes it so that its data is never more than {@code targetLag} behind a committed
     * source change (see {@link TargetLag}). Null means no target.
     *
     * @throws MatviewException {@link ErrorCode#INVALID_ARGUMENT} for a target that is not positive, and as the
     *                          other {@code register} methods
     */
    public Registration register(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts,
                                 boolean changeTracking, @Nullable Duration targetLag) {
        Long targetLagMs = TargetLag.validMillis(targetLag);
        Registration registered = register(view, mode, timeouts, changeTracking);
        if (targetLagMs == null) {
            return registered;
        }
        try {
            return withTargetLag(registered, targetLagMs);
        } catch (RuntimeException e) {
            unregister(ViewRef.of(registered.id()));
            throw e;
        }
    }

    /**
     * The view's registration, registering it in standard mode first when it has none. Safe when
     * several instances do it at once: the one that loses the insert reads the winner's registration.
     */
    public Registration findOrRegister(QualifiedName view) {
        Optional<Registration> existing = store.findByName(view);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            return register(view);
        } catch (MatviewException e) {
            if (e.code() != ErrorCode.ALREADY_REGISTERED) {
                throw e;
            }
            return store.findByName(view).orElseThrow(() -> e);
        }
    }

    /** @throws MatviewException {@link ErrorCode#REGISTRATION_NOT_FOUND} when there is none */
    public Registration get(ViewRef ref) {
        return find(ref).orElseThrow(() -> notFound(ref));
    }

    /** @param ref a registration id or {@code schema.view} (see {@link ViewRef#parse}) */
    public Registration get(String ref) {
        return get(ViewRef.parse(ref));
    }

    public Optional<Registration> find(ViewRef ref) {
        Objects.requireNonNull(ref, "ref");
        if (ref instanceof ViewRef.ById byId) {
            return store.findById(byId.id());
        }
        return store.findByName(((ViewRef.ByName) ref).name());
    }

    public Optional<Registration> find(String ref) {
        return find(ViewRef.parse(ref));
    }

    /** All registrations, ordered by schema then view. */
    public List<Registration> list() {
        return store.findAll();
    }

    /** One page of the registrations the query's filter matches, in its order. */
    public RegistrationPage list(RegistrationQuery query) {
        return store.findPage(Objects.requireNonNull(query, "query"));
    }

    public Registration updateMode(ViewRef ref, RefreshMode mode) {
        Objects.requireNonNull(mode, "mode");
        Registration current = get(ref);
        return update(current, mode, current.timeouts());
    }

    public Registration updateMode(String ref, RefreshMode mode) {
        return updateMode(ViewRef.parse(ref), mode);
    }

    /** Sets the view's own timeouts; {@link RefreshTimeouts#NONE} returns it to the library defaults. */
    public Registration updateTimeouts(ViewRef ref, RefreshTimeouts timeouts) {
        Objects.requireNonNull(timeouts, "timeouts");
        Registration current = get(ref);
        return update(current, current.refreshMode(), timeouts);
    }

    /** @param ref a registration id or {@code schema.view} (see {@link ViewRef#parse}) */
    public Registration updateTimeouts(String ref, RefreshTimeouts timeouts) {
        return updateTimeouts(ViewRef.parse(ref), timeouts);
    }

    /** Sets mode and timeouts in one write (for callers that change both at once). */
    public Registration update(ViewRef ref, RefreshMode mode, RefreshTimeouts timeouts) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeouts, "timeouts");
        return update(get(ref), mode, timeouts);
    }

    /**
     * Sets mode, timeouts and change tracking. Tracking changes first, all or nothing (see
     * {@link ChangeTracker#enable} and {@link ChangeTracker#disable}); turning it on again re-reads the sources.
     */
    public Registration update(ViewRef ref, RefreshMode mode, RefreshTimeouts timeouts, boolean changeTracking) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeouts, "timeouts");
        return update(withChangeTracking(get(ref), changeTracking), mode, timeouts);
    }

    /**
     * Turns exact change tracking of the view on or off. On: its base tables are found through the catalog and the
     * change trigger installed on each; the view is behind until its next successful refresh. Off: the triggers
     * no other tracked view needs are removed.
     *
     * @throws MatviewException {@link ErrorCode#TRACKING_PERMISSION_DENIED} when the role may not create (or, to
     *                          turn tracking off, drop) a trigger on a source table; nothing changed then
     */
    public Registration updateChangeTracking(ViewRef ref, boolean changeTracking) {
        return withChangeTracking(get(ref), changeTracking);
    }

    /** @param ref a registration id or {@code schema.view} (see {@link ViewRef#parse}) */
    public Registration updateChangeTracking(String ref, boolean changeTracking) {
        return updateChangeTracking(ViewRef.parse(ref), changeTracking);
    }

    private Registration withChangeTracking(Registration current, boolean changeTracking) {
        if (changeTracking) {
            return tracker.enable(current);
        }
        return current.changeTracking() ? tracker.disable(current) : current;
    }

    /**
     * Sets the view's target lag (see {@link TargetLag}); null removes it. A planned refresh is forgotten with it.
     *
     * @throws MatviewException {@link ErrorCode#INVALID_ARGUMENT} for a target that is not positive
     */
    public Registration updateTargetLag(ViewRef ref, @Nullable Duration targetLag) {
        Long targetLagMs = TargetLag.validMillis(targetLag);
        return withTargetLag(get(ref), targetLagMs);
    }

    /** @param ref a registration id or {@code schema.view} (see {@link ViewRef#parse}) */
    public Registration updateTargetLag(String ref, @Nullable Duration targetLag) {
        return updateTargetLag(ViewRef.parse(ref), targetLag);
    }

    private Registration withTargetLag(Registration current, @Nullable Long targetLagMs) {
        return store.updateTargetLag(current.id(), targetLagMs, clock.instant())
                .orElseThrow(() -> notFound(ViewRef.of(current.id())));
    }

    /**
     * Removes the registration and its history, and the change-tracking triggers no other tracked view needs.
     * The materialized view itself is not dropped.
     */
    public void unregister(ViewRef ref) {
        Registration current = get(ref);
        if (current.changeTracking()) {
            tracker.disable(current);
        }
        if (!store.delete(current.id())) {
            throw notFound(ref);
        }
    }

    public void unregister(String ref) {
        unregister(ViewRef.parse(ref));
    }

    /** The view's most recent refresh runs, newest first. */
    public List<RefreshRun> history(ViewRef ref, int limit) {
        if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT,
                    "limit must be between 1 and " + MAX_HISTORY_LIMIT);
        }
        return store.history(get(ref).id(), limit);
    }

    /** @param ref a registration id or {@code schema.view} (see {@link ViewRef#parse}) */
    public List<RefreshRun> history(String ref, int limit) {
        return history(ViewRef.parse(ref), limit);
    }

    /** Every materialized view in the database, registered or not, ordered by schema then name. */
    public List<DiscoveredView> discover() {
        Map<QualifiedName, UUID> registered = new HashMap<>();
        for (Registration registration : store.findAll()) {
            registered.put(registration.qualifiedName(), registration.id());
        }
        Map<QualifiedName, List<String>> dependants = catalog.dependants();
        List<DiscoveredView> views = new ArrayList<>();
        for (ViewState state : catalog.listMaterializedViews()) {
            views.add(new DiscoveredView(state.name().schema(), state.name().view(), state.populated(),
                    state.hasUsableUniqueIndex(), registered.get(state.name()),
                    dependants.getOrDefault(state.name(), List.of())));
        }
        return views;
    }

    /** Which materialized views read from which, as the catalog says right now. */
    public DependencyGraph dependencyGraph() {
        return new DependencyGraph(catalog.materializedViewDependencies());
    }

    /**
     * The materialized views upstream and downstream of a view. A name need not be registered, but must
     * be a materialized view; an id must be a registration's.
     */
    public ViewDependencies dependencies(ViewRef ref) {
        QualifiedName view;
        if (ref instanceof ViewRef.ByName byName) {
            view = byName.name();
            if (catalog.describe(view).isEmpty()) {
                throw new MatviewException(ErrorCode.VIEW_NOT_FOUND, view);
            }
        } else {
            view = get(ref).qualifiedName();
        }
        DependencyGraph graph = dependencyGraph();
        return new ViewDependencies(view, graph.upstreamOf(view), graph.downstreamOf(view));
    }

    /** @param ref a registration id or {@code schema.view} (see {@link ViewRef#parse}) */
    public ViewDependencies dependencies(String ref) {
        return dependencies(ViewRef.parse(ref));
    }

    private Registration update(Registration current, RefreshMode mode, RefreshTimeouts timeouts) {
        return store.update(current.id(), mode, timeouts, clock.instant())
                .orElseThrow(() -> notFound(ViewRef.of(current.id())));
    }

    /** Names the view when the caller named one, else carries the id as given. */
    static MatviewException notFound(ViewRef ref) {
        QualifiedName view = ref instanceof ViewRef.ByName byName ? byName.name() : null;
        return new MatviewException(ErrorCode.REGISTRATION_NOT_FOUND, ErrorCode.REGISTRATION_NOT_FOUND.defaultMessage(),
                view, view == null ? ref.toString() : null, null, null, null);
    }
}
