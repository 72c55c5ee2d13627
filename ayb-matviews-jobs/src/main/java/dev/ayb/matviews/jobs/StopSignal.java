package dev.ayb.matviews.jobs;

import java.util.function.Supplier;

/**
 * Whether a runner is shutting down, and the lock that makes "no job is dispatched after close()" hold: close()
 * raises the signal under the same lock as the dispatch of claimed jobs, so a dispatch either finishes before
 * it or sees it.
 */
final class StopSignal {
    private final Object dispatch = new Object();
    private volatile boolean stopping;

    boolean isStopping() {
        return stopping;
    }

    /** Raised by close(): waits for a dispatch under way, so that none starts a job afterwards. */
    void stop() {
        synchronized (dispatch) {
            stopping = true;
        }
    }

    /** Raised by an interrupt of the poller, which holds no dispatch lock while it waits. */
    void stopWithoutWaiting() {
        stopping = true;
    }

    /** Runs a dispatch of claimed jobs; {@link #stop()} waits for it. */
    <T> T whileDispatching(Supplier<T> dispatchOfClaimedJobs) {
        synchronized (dispatch) {
            return dispatchOfClaimedJobs.get();
        }
    }
}
