package dev.ayb.matviews.micrometer;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshTrigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Times every refresh and counts the rejected ones. It is a {@link RefreshListener}: give it to
 * {@code AybMatviews.builder().listener(...)} and bind it to the registries that should see the meters.
 *
 * <ul>
 *   <li>{@code ayb.matviews.refresh}, a timer of the {@code REFRESH} statement's duration, tagged {@code view}
 *       ({@code schema.view}), {@code mode} ({@code standard}, {@code concurrent}), {@code trigger} ({@code manual},
 *       {@code http}, {@code cli}, {@code schedule}, {@code cascade}) and {@code outcome} ({@code success},
 *       {@code error}, or {@code skipped} for a refresh "only if changed" that found the view current);</li>
 *   <li>{@code ayb.matviews.refresh.rejected}, a counter of refreshes turned away because another refresh of the
 *       view held its lock, tagged {@code view} and {@code trigger}.</li>
 * </ul>
 *
 * <p>Refreshes that happen before any registry is bound are not counted anywhere.
 */
public final class RefreshMetrics implements RefreshListener, MeterBinder {
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(Objects.requireNonNull(registry, "registry"));
    }

    @Override
    public void refreshFinished(RefreshRun run) {
        record(run);
    }

    @Override
    public void refreshSkipped(RefreshRun run) {
        record(run);
    }

    @Override
    public void refreshRejected(QualifiedName view, RefreshTrigger trigger) {
        for (MeterRegistry registry : registries) {
            Counter.builder(MeterNames.REFRESH_REJECTED)
                    .description("Refreshes not run because another refresh of the view held its lock")
                    .tag(MeterNames.TAG_VIEW, view.toString())
                    .tag(MeterNames.TAG_TRIGGER, trigger.wireName())
                    .register(registry)
                    .increment();
        }
    }

    private void record(RefreshRun run) {
        for (MeterRegistry registry : registries) {
            Timer.builder(MeterNames.REFRESH)
                    .description("Duration of materialized view refreshes")
                    .tag(MeterNames.TAG_VIEW, run.qualifiedName().toString())
                    .tag(MeterNames.TAG_MODE, run.refreshMode().wireName())
                    .tag(MeterNames.TAG_TRIGGER, run.trigger().wireName())
                    .tag(MeterNames.TAG_OUTCOME, run.status().wireName())
                    .register(registry)
                    .record(Duration.ofMillis(run.durationMs()));
        }
    }
}
