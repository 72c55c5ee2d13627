package dev.ayb.matviews.jobs;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jobs.internal.CancellableStatements;
import dev.ayb.matviews.jobs.internal.Retries;
import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one claimed job through its handler and records how it ended: completed, failed (retried after a
 * backoff, or for good), or handed back to the queue when the runner's shutdown stopped it.
 */
final class JobExecution {
    // The runner's logger: these lines are the runner's, whichever of its parts writes them.
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore jobs;
    private final Map<String, JobHandler> handlers;
    private final Clock clock;
    private final String workerId;
    private final CancellableStatements statements;
    private final OutcomeRecorder outcomes;
    private final JobListener listener;

    /**
     * @param listener told of each attempt's outcome; AybJobs passes {@link JobListener#allOf}, which contains what
     *                 a listener throws
     */
    JobExecution(JobStore jobs, Map<String, JobHandler> handlers, Clock clock, String workerId,
                 CancellableStatements statements, OutcomeRecorder outcomes, JobListener listener) {
        this.jobs = jobs;
        this.handlers = handlers;
        this.clock = clock;
        this.workerId = workerId;
        this.statements = statements;
        this.outcomes = outcomes;
        this.listener = listener;
    }

    /**
     * Runs the job on the calling thread, its SQL cancellable through {@link RunningJob#scope}, and tells the
     * listener how the attempt ended.
     */
    JobAttempt run(RunningJob entry) {
        JobAttempt attempt = attempt(entry);
        listener.attemptEnded(attempt);
        return attempt;
    }

    private JobAttempt attempt(RunningJob entry) {
        Job job = entry.job;
        JobResult result;
        try (CancellableStatements.Scope scope = statements.enter()) {
            entry.scope = scope;
            result = handlers.get(job.type()).handle(job);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ended(entry, e);
        } catch (Exception | LinkageError e) {
            return ended(entry, e);
        }
        String described = result == null ? null : result.describe();
        Instant finishedAt = clock.instant();
        try {
            boolean recorded = outcomes.record(job, () -> jobs.complete(job.id(), workerId, described, finishedAt));
            LOG.debug("Job {} ({}) completed: {}", job.id(), job.type(), described);
            return new JobAttempt(job, recorded ? JobAttempt.Outcome.COMPLETED : JobAttempt.Outcome.NOT_RECORDED,
                    described, null);
        } catch (MatviewException e) {
            // Not the database being away (e.g. a result text PostgreSQL refuses): the run cannot be
            // recorded as it was, so it counts as a failed attempt, as before.
            return recordFailure(job, e);
        }
    }

    /** Back to the queue, the attempt not counted; when that cannot be written, the lease runs out instead. */
    boolean handBack(Job job, String reason) {
        try {
            jobs.release(job.id(), workerId, reason, clock.instant());
            LOG.debug("Job {} ({}) handed back to the queue", job.id(), job.type());
            return true;
        } catch (MatviewException e) {
            LOG.warn("Could not hand job {} back to the queue; it will be re-run when its lease expires: {}",
                    job.id(), e.getMessage());
            return false;
        }
    }

    /** A handler that threw: a failed attempt, or, when close() stopped it, a job to hand back. */
    private JobAttempt ended(RunningJob entry, Throwable failure) {
        if (entry.stopRequested) {
            // The interrupt was close()'s own; cleared so that handing the job back is not refused for it.
            Thread.interrupted();
            // Nothing of it runs any more (its SQL was canceled): back to the queue, with what stopping it answered.
            String reason = "stopped by the shutdown of worker " + workerId + ": " + describe(failure);
            boolean handedBack = handBack(entry.job, reason);
            return new JobAttempt(entry.job, handedBack ? JobAttempt.Outcome.HANDED_BACK
                    : JobAttempt.Outcome.NOT_RECORDED, reason, null);
        }
        return recordFailure(entry.job, failure);
    }

    private JobAttempt recordFailure(Job job, Throwable failure) {
        String message = describe(failure);
        boolean worthRetrying = Retries.worthRetrying(failure);
        Instant now = clock.instant();
        Instant retryAt = worthRetrying && job.attempts() < job.maxAttempts()
                ? now.plus(RetryBackoff.after(job.attempts())) : null;
        boolean recorded;
        try {
            recorded = outcomes.record(job, () -> jobs.fail(job.id(), workerId, message, retryAt, now));
        } catch (MatviewException e) {
            LOG.warn("Could not record the failure of job {}; it will be re-run when its lease expires", job.id(), e);
            recorded = false;
        }
        if (retryAt != null) {
            LOG.debug("Job {} ({}) failed, attempt {} of {}; retrying at {}: {}", job.id(), job.type(),
                    job.attempts(), job.maxAttempts(), retryAt, message);
        } else if (worthRetrying) {
            LOG.warn("Job {} ({}) failed for good after {} attempt(s): {}", job.id(), job.type(), job.attempts(),
                    message);
        } else {
            LOG.warn("Job {} ({}) failed for a reason a retry cannot fix: {}", job.id(), job.type(), message);
        }
        if (!recorded) {
            return new JobAttempt(job, JobAttempt.Outcome.NOT_RECORDED, message, null);
        }
        return retryAt != null ? new JobAttempt(job, JobAttempt.Outcome.RETRY_SCHEDULED, message, retryAt)
                : new JobAttempt(job, JobAttempt.Outcome.FAILED, message, null);
    }

    private static String describe(Throwable failure) {
        return failure instanceof MatviewException ? failure.getMessage() : failure.toString();
    }
}
