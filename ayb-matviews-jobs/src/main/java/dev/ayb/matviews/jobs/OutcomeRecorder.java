package dev.ayb.matviews.jobs;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.support.PgErrors;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes how a finished run ended. While the database cannot be reached (an outage, a restart, a failover)
 * the write is retried rather than dropped: the job stays listed as running here, so the poller keeps its
 * lease, and a job whose work is done is not re-run after its lease expires just because its outcome could
 * not be written at that moment. A write that returns false found the job no longer this worker's (its lease
 * was lost and another instance took it): nothing more to do. Gives up when {@code keepTrying} says so (the
 * runner closes, or a pass on the caller's thread that must not wait for the database).
 */
final class OutcomeRecorder {
    // The runner's logger: these lines are the runner's, whichever of its parts writes them.
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final Duration FIRST_WAIT = Duration.ofMillis(100);
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final String workerId;
    private final BooleanSupplier keepTrying;

    OutcomeRecorder(String workerId, BooleanSupplier keepTrying) {
        this.workerId = workerId;
        this.keepTrying = keepTrying;
    }

    /**
     * @return true when the outcome was written; false when the job was no longer this worker's, or the write
     *         was given up (the job is then re-run once its lease expires)
     * @throws MatviewException when the write failed for another reason than the database being unreachable
     */
    boolean record(Job job, BooleanSupplier write) {
        Duration wait = FIRST_WAIT;
        boolean warned = false;
        while (true) {
            try {
                if (!write.getAsBoolean()) {
                    LOG.warn("Job {} is no longer held by {}; the outcome of this run was not recorded", job.id(),
                            workerId);
                    return false;
                }
                return true;
            } catch (MatviewException e) {
                if (!isUnreachable(e)) {
                    throw e;
                }
                if (!keepTrying.getAsBoolean()) {
                    LOG.warn("Could not record the outcome of job {}; it will be re-run when its lease expires",
                            job.id(), e);
                    return false;
                }
                if (!warned) {
                    LOG.warn("Could not record the outcome of job {}; retrying until the database answers: {}",
                            job.id(), e.getMessage());
                    warned = true;
                }
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            wait = Durations.min(wait.multipliedBy(2), MAX_WAIT);
        }
    }

    /** The database did not answer (no connection, connection lost, server shutting down or starting up). */
    private static boolean isUnreachable(MatviewException e) {
        return e.code() == ErrorCode.DATABASE_ERROR && PgErrors.isConnectionFailure(e.sqlState().orElse(""));
    }
}
