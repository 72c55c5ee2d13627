package dev.ayb.matviews.jobs;

import dev.ayb.matviews.jobs.internal.CancellableStatements;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A job claimed by a runner and not yet finished. */
final class RunningJob {
    private static final int WAITING = 0;
    private static final int STARTED = 1;
    private static final int ABANDONED = 2;

    final Job job;
    private final AtomicInteger phase = new AtomicInteger(WAITING);
    volatile Future<?> future;
    /** The job's SQL, once its handler runs. */
    volatile CancellableStatements.Scope scope;
    /** Set by close(): a failure from now on is the stop, not the job's own. */
    volatile boolean stopRequested;

    RunningJob(Job job) {
        this.job = job;
    }

    /** False when close() abandoned the job before a thread took it up. */
    boolean start() {
        return phase.compareAndSet(WAITING, STARTED);
    }

    /** True when no thread has taken the job up, and now none will. */
    boolean abandon() {
        return phase.compareAndSet(WAITING, ABANDONED);
    }
}
