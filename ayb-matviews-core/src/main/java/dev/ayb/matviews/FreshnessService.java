package dev.ayb.matviews;

import dev.ayb.matviews.spi.ChangeTracker;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Reads whether registered views are behind their base tables (see {@link Freshness} for the rule) and which
 * base tables a tracked view reads, with each view's lag and planned refresh (see {@link Freshness#lagMs()}). Reads
 * only: it changes nothing, and each call is one query.
 */
public final class FreshnessService {
    private final MatviewRegistry registry;
    private final ChangeTracker tracker;
    private final Clock clock;

    public FreshnessService(MatviewRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tracker = registry.changeTracker();
        this.clock = registry.clock();
    }

    /**
     * @throws MatviewException {@link ErrorCode#REGISTRATION_NOT_FOUND} when there is no such registration
     */
    public Freshness of(ViewRef ref) {
        return of(registry.get(ref));
    }

    /** @param ref a registration id or {@code schema.view} (see {@link ViewRef#parse}) */
    public Freshness of(String ref) {
        return of(ViewRef.parse(ref));
    }

    /** The freshness of a registration already loaded (e.g. the one a refresh returned), without reading it again. */
    public Freshness of(Registration registration) {
        return of(List.of(registration)).get(registration.id());
    }

    /** Every registration's freshness by registration id, in the order of {@link MatviewRegistry#list()}. */
    public Map<UUID, Freshness> ofAll() {
        return of(registry.list());
    }

    /** The freshness of the given registrations by id, in their order, computed in one query. */
    public Map<UUID, Freshness> of(List<Registration> registrations) {
        Map<UUID, Freshness> found = tracker.freshness(registrations);
        Instant now = clock.instant();
        Map<UUID, Freshness> ordered = new LinkedHashMap<>();
        for (Registration registration : registrations) {
            ordered.put(registration.id(), found.getOrDefault(registration.id(), Freshness.UNTRACKED)
                    .at(registration, now));
        }
        return ordered;
    }

    /**
     * The base tables a tracked view reads (through plain views, other materialized views and partitions), with
     * whether each has its trigger; empty for a view that is not tracked.
     */
    public List<SourceTable> sources(ViewRef ref) {
        return tracker.sources(registry.get(ref));
    }

    /** @param ref a registration id or {@code schema.view} (see {@link ViewRef#parse}) */
    public List<SourceTable> sources(String ref) {
        return sources(ViewRef.parse(ref));
    }
}
