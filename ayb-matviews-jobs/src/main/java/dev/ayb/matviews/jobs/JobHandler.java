package dev.ayb.matviews.jobs;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Runs the jobs of one type. Host applications add their own types through
 * {@code AybJobs.builder(matviews).jobHandler(...)}; schedules of a type no handler serves are refused when
 * they are created.
 *
 * <p>A handler that throws fails the attempt: the job is retried with backoff until its attempts run
 * out, unless it threw a {@link dev.ayb.matviews.MatviewException} no retry can fix (view not found or no
 * longer there, concurrent refresh prerequisites missing, invalid payload, permission denied, SQLSTATE
 * 42501): then the job fails at once with that reason. A handler must be safe to run again for the same
 * job, since a worker that dies mid-job has its job re-run by another instance once the lease expires.
 *
 * <p>Only instances with a handler for a type claim its jobs, and each type takes one handler per instance.
 * When the runner shuts down, a handler still running after the grace is interrupted and the SQL it runs
 * through the library is canceled; one that still does not stop keeps its job leased until the lease expires.
 */
public interface JobHandler {

    /** The job type this handler serves, e.g. {@code materialized_view_refresh}. */
    String jobType();

    /** Runs one attempt. There is no hidden time limit: a handler runs until it returns or throws. */
    JobResult handle(Job job) throws Exception;

    /**
     * Checks a payload when a schedule is created or changed, so a bad one is refused then rather than
     * failing at every tick. Throw a {@link dev.ayb.matviews.MatviewException} to refuse.
     */
    default void validatePayload(Map<String, @Nullable Object> payload) {
    }

    /**
     * A handler of {@code jobType} that runs {@code work} and accepts every payload, for the common case
     * that needs no payload check: {@code JobHandler.of("report", job -> JobResult.done())}.
     */
    static JobHandler of(String jobType, Work work) {
        Objects.requireNonNull(jobType, "jobType");
        Objects.requireNonNull(work, "work");
        return new JobHandler() {
            @Override
            public String jobType() {
                return jobType;
            }

            @Override
            public JobResult handle(Job job) throws Exception {
                return work.handle(job);
            }
        };
    }

    /** One attempt of a job, as {@link #handle(Job)} runs it. */
    @FunctionalInterface
    interface Work {
        JobResult handle(Job job) throws Exception;
    }
}
