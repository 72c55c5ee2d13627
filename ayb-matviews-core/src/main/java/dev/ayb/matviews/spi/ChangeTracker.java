package dev.ayb.matviews.spi;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.SourceTable;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Exact change tracking of the base tables views read. Implementations find a view's base tables in the
 * database's catalog, record which transactions wrote each (a trigger on it, or its changes read from the
 * write-ahead log), and compare those transactions with what the view's last successful refresh saw (the snapshot its session captured through
 * {@link RefreshSession#captureChangeSnapshot()}).
 *
 * <p>{@link #enable} and {@link #disable} each are all or nothing: the triggers, the list of sources and the
 * registration's {@code changeTracking} flag change together, or not at all.
 */
public interface ChangeTracker {

    /** For storage without change tracking: enabling it is refused, and nothing is ever tracked. */
    ChangeTracker NONE = new ChangeTracker() {
        @Override
        public Registration enable(Registration registration) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "change tracking is not available with this store");
        }

        @Override
        public Registration disable(Registration registration) {
            return registration;
        }

        @Override
        public void sync(Registration registration) {
        }

        @Override
        public Map<UUID, Freshness> freshness(Collection<Registration> registrations) {
            Map<UUID, Freshness> all = new HashMap<>();
            registrations.forEach(r -> all.put(r.id(), Freshness.UNTRACKED));
            return all;
        }

        @Override
        public List<SourceTable> sources(Registration registration) {
            return List.of();
        }
    };

    /**
     * Finds the view's base tables, installs the change trigger on each that lacks it, and turns the
     * registration's tracking on. The view stays behind until its next successful refresh. Calling it on a
     * tracked view re-reads its sources.
     *
     * @return the registration with {@code changeTracking} true
     * @throws MatviewException {@link ErrorCode#TRACKING_PERMISSION_DENIED} when the role may not create a trigger
     *                          on one of the tables; then nothing changed
     */
    Registration enable(Registration registration);

    /**
     * Turns the registration's tracking off and removes the triggers no other tracked view needs. The view and its
     * tables are otherwise untouched. Nothing happens for a view that is not tracked.
     *
     * @return the registration with {@code changeTracking} false
     */
    Registration disable(Registration registration);

    /**
     * Called before each refresh of a tracked view, under its lock: re-reads its sources, installs the trigger on a
     * table that gained one (a partition attached since), and prunes the change records every tracked view has
     * seen. A failure here is logged and does not fail the refresh: a source left without its trigger keeps the view
     * behind ("trigger missing on ..."), never wrongly current.
     */
    void sync(Registration registration);

    /**
     * The freshness of each registration, in one query whatever their number; every id given is in the result.
     * Views not tracked are {@link Freshness#UNTRACKED}.
     */
    Map<UUID, Freshness> freshness(Collection<Registration> registrations);

    /** The base tables the tracked view reads, ordered by schema then name; empty when it is not tracked. */
    List<SourceTable> sources(Registration registration);
}
