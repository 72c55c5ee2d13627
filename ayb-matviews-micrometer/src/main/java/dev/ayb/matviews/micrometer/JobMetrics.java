package dev.ayb.matviews.micrometer;

import dev.ayb.matviews.jobs.JobAttempt;
import dev.ayb.matviews.jobs.JobListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code ayb.matviews.jobs.failures}, a counter of the failed job attempts this instance ran, tagged {@code type}
 * (the job type) and {@code outcome}: {@code retry_scheduled} when attempts are left and the job runs again after a
 * backoff, {@code failed} when it failed for good. It is a {@link JobListener}: give it to
 * {@code AybJobs.builder(matviews).listener(...)} and bind it to the registries that should see it. Attempts before
 * any registry is bound are not counted anywhere.
 */
public final class JobMetrics implements JobListener, MeterBinder {
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(Objects.requireNonNull(registry, "registry"));
    }

    @Override
    public void attemptEnded(JobAttempt attempt) {
        if (attempt.outcome() != JobAttempt.Outcome.FAILED && attempt.outcome() != JobAttempt.Outcome.RETRY_SCHEDULED) {
            return;
        }
        for (MeterRegistry registry : registries) {
            Counter.builder(MeterNames.JOB_FAILURES)
                    .description("Failed job attempts run by this instance")
                    .tag(MeterNames.TAG_TYPE, attempt.job().type())
                    .tag(MeterNames.TAG_OUTCOME, attempt.outcome().name().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .increment();
        }
    }
}
