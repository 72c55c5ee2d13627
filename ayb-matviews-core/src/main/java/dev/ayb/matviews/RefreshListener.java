package dev.ayb.matviews;

import dev.ayb.matviews.internal.CompositeListener;
import java.util.List;

/**
 * Hook for metrics and logging around this instance's refreshes, called as they run. Every method has a no-op
 * default. A listener that throws is logged and ignored: it can never fail a refresh or keep a lock from being
 * released. To hear every instance's refreshes, once recorded, subscribe to {@link RefreshEvents} instead.
 */
public interface RefreshListener {
    RefreshListener NONE = new RefreshListener() {
    };

    /**
     * One listener that tells each of {@code listeners}, in order: metrics and logging hooks of different owners
     * can listen to the same refreshes. One that throws is logged and ignored, and the others are still told.
     */
    static RefreshListener allOf(List<RefreshListener> listeners) {
        List<RefreshListener> copy = List.copyOf(listeners);
        return copy.isEmpty() ? NONE : copy.size() == 1 ? copy.get(0) : new CompositeListener(copy);
    }

    /** The advisory lock was taken and the refresh is about to run. */
    default void refreshStarted(QualifiedName view, RefreshMode mode, RefreshTrigger trigger) {
    }

    /** The refresh ran and its outcome was recorded (successfully or not). */
    default void refreshFinished(RefreshRun run) {
    }

    /**
     * A refresh asked "only if changed" found the view current: no {@code REFRESH} ran, and the run is recorded
     * with status {@link RefreshStatus#SKIPPED}. Neither {@link #refreshStarted} nor {@link #refreshFinished} is
     * called for it.
     */
    default void refreshSkipped(RefreshRun run) {
    }

    /** The refresh did not run because another refresh of the same view holds the lock. */
    default void refreshRejected(QualifiedName view, RefreshTrigger trigger) {
    }
}
