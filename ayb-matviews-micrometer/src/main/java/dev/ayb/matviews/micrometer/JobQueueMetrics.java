package dev.ayb.matviews.micrometer;

import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code ayb.matviews.jobs}, a gauge of the jobs in the queue by {@code state}: {@code queued} and
 * {@code running} are its depth; {@code failed} counts the jobs that failed for good (out of attempts, or a failure
 * a retry cannot fix) and {@code completed} and {@code canceled} the others that ended, as long as finished jobs are
 * kept ({@code JobOptions.finishedJobRetention()}). The queue is shared by every instance, so every instance reports
 * the same figures. One query at most every {@code cacheFor}, for all five gauges.
 */
public final class JobQueueMetrics implements MeterBinder {
    private final ScheduleAdmin queue;
    private final long cacheForNanos;
    private @Nullable Map<JobState, Long> counts;
    private long readAtNanos;

    /** The queue of {@code jobs}, read again at most every {@link ViewMetrics#DEFAULT_CACHE}. */
    public JobQueueMetrics(AybJobs jobs) {
        this(jobs, ViewMetrics.DEFAULT_CACHE);
    }

    /** @param cacheFor how long one count serves the gauges; zero counts at every gauge read */
    public JobQueueMetrics(AybJobs jobs, Duration cacheFor) {
        this.queue = Objects.requireNonNull(jobs, "jobs").schedules();
        if (cacheFor.isNegative()) {
            throw new IllegalArgumentException("cacheFor must not be negative: " + cacheFor);
        }
        this.cacheForNanos = cacheFor.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (JobState state : JobState.values()) {
            Gauge.builder(MeterNames.JOBS, () -> count(state))
                    .description("Jobs in the queue by state (finished ones while they are kept)")
                    .tag(MeterNames.TAG_STATE, state.wireName())
                    .register(registry);
        }
    }

    private synchronized long count(JobState state) {
        long now = System.nanoTime();
        if (counts == null || now - readAtNanos >= cacheForNanos) {
            counts = queue.jobCounts();
            readAtNanos = now;
        }
        return counts.getOrDefault(state, 0L);
    }
}
