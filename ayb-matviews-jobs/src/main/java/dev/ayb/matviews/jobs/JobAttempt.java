package dev.ayb.matviews.jobs;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One run of a job by this instance, by its {@link JobRunner} or {@link AybJobs#pollOnce()}, and how it ended.
 *
 * @param job     the job as claimed for this run: state running, its attempts counting this one
 * @param outcome how the run ended, as recorded in the queue
 * @param message the handler's result ({@link JobResult#describe()}) when completed, otherwise the error; null
 *                when the handler returned no result
 * @param retryAt when the next attempt is due, for {@link Outcome#RETRY_SCHEDULED}; null otherwise
 */
public record JobAttempt(Job job, Outcome outcome, @Nullable String message, @Nullable Instant retryAt) {
    public JobAttempt {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** How a run ended. */
    public enum Outcome {
        /** The handler returned; the job is completed. */
        COMPLETED,
        /** The handler failed and attempts are left: the job is queued again, due at {@code retryAt}. */
        RETRY_SCHEDULED,
        /** The handler failed for good: out of attempts, or a failure a retry cannot fix. */
        FAILED,
        /** The job was handed back to the queue without counting the attempt (its run was stopped). */
        HANDED_BACK,
        /**
         * The run ended but its outcome could not be written: the job was no longer this worker's, or the
         * database did not answer. It is run again once its lease expires.
         */
        NOT_RECORDED
    }
}
