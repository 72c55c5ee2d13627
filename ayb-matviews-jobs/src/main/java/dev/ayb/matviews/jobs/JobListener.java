package dev.ayb.matviews.jobs;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hook for metrics and logging around jobs: told of every attempt this instance ran, by its runner or by
 * {@link AybJobs#pollOnce()}, once its outcome is known. A listener that throws is logged and ignored: it can
 * never fail a job or stop the runner.
 */
@FunctionalInterface
public interface JobListener {
    JobListener NONE = attempt -> {
    };

    /** An attempt ended: completed, failed (retried later or for good), handed back, or not recorded. */
    void attemptEnded(JobAttempt attempt);

    /**
     * One listener that tells each of {@code listeners} in order; one that throws is logged, and the others are
     * still told.
     */
    static JobListener allOf(List<JobListener> listeners) {
        List<JobListener> copy = List.copyOf(listeners);
        Logger log = LoggerFactory.getLogger(JobListener.class);
        return attempt -> {
            Objects.requireNonNull(attempt, "attempt");
            for (JobListener listener : copy) {
                try {
                    listener.attemptEnded(attempt);
                } catch (RuntimeException e) {
                    log.warn("Job listener failed for job {}", attempt.job().id(), e);
                }
            }
        };
    }
}
