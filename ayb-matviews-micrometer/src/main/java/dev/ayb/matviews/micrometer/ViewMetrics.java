package dev.ayb.matviews.micrometer;

import dev.ayb.matviews.MatviewHealth;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Gauges of the registered views, read from the database when an exporter reads them:
 *
 * <ul>
 *   <li>{@code ayb.matviews.views}: how many views are registered;</li>
 *   <li>{@code ayb.matviews.view.data.age} (seconds, tag {@code view}): now minus the start of the view's last
 *       successful refresh, its <em>data age</em>; NaN before its first successful refresh;</li>
 *   <li>{@code ayb.matviews.view.lag} (seconds, tag {@code view}): how long the view has been behind its sources,
 *       by the rule of {@link MatviewHealth#behindSince}: 0 when it is current, NaN when its changes are not
 *       tracked;</li>
 *   <li>{@code ayb.matviews.view.target.lag} (seconds, tag {@code view}): the view's target lag, so that a
 *       dashboard can draw the lag against it and alert on {@code lag > target}; NaN when it has none.</li>
 * </ul>
 *
 * <p>The views are read with two queries (the registrations, then their freshness) at most once per
 * {@code cacheFor}, however many gauges an exporter reads. Gauges follow the registrations: a view registered
 * since gets its gauges at the next read, and every {@code ayb.matviews.*} meter of a view no longer registered
 * (its refresh timer included) is removed, so the number of series stays bounded by the number of views.
 * The ages are computed at each read from the cached times, so they do not stand still between reads.
 */
public final class ViewMetrics implements MeterBinder {
    /** How long the views read from the database serve the gauges before they are read again. */
    public static final Duration DEFAULT_CACHE = Duration.ofSeconds(10);

    private final MatviewRegistry registrations;
    private final Function<List<Registration>, Map<UUID, Instant>> behindSince;
    private final Clock clock;
    private final long cacheForNanos;
    private final List<Bound> bound = new CopyOnWriteArrayList<>();
    private @Nullable ViewSnapshot snapshot;

    /** The views of {@code matviews}, read again at most every {@link #DEFAULT_CACHE}. */
    public ViewMetrics(AybMatviews matviews) {
        this(matviews, DEFAULT_CACHE);
    }

    /** @param cacheFor how long one reading of the views serves the gauges; zero reads them at every gauge read */
    public ViewMetrics(AybMatviews matviews, Duration cacheFor) {
        Objects.requireNonNull(matviews, "matviews");
        Objects.requireNonNull(cacheFor, "cacheFor");
        if (cacheFor.isNegative()) {
            throw new IllegalArgumentException("cacheFor must not be negative: " + cacheFor);
        }
        this.registrations = matviews.registry();
        this.behindSince = MatviewHealth.behindSince(matviews.freshness());
        this.clock = matviews.clock();
        this.cacheForNanos = cacheFor.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Bound target = new Bound(Objects.requireNonNull(registry, "registry"));
        bound.add(target);
        Gauge.builder(MeterNames.VIEWS, () -> current().size())
                .description("Registered materialized views")
                .register(registry);
        synchronized (this) {
            target.follow(current());
        }
    }

    private double dataAgeSeconds(String view) {
        ViewSnapshot.Figures figures = current().figures(view);
        return figures == null || figures.lastSuccessAt() == null ? Double.NaN : secondsSince(figures.lastSuccessAt());
    }

    private double lagSeconds(String view) {
        ViewSnapshot.Figures figures = current().figures(view);
        if (figures == null || !figures.tracked()) {
            return Double.NaN;
        }
        return figures.behindSince() == null ? 0 : secondsSince(figures.behindSince());
    }

    private double targetLagSeconds(String view) {
        ViewSnapshot.Figures figures = current().figures(view);
        return figures == null || figures.targetLagMs() == null ? Double.NaN : figures.targetLagMs() / 1000.0;
    }

    private double secondsSince(Instant moment) {
        return Math.max(0, Duration.between(moment, clock.instant()).toMillis() / 1000.0);
    }

    /** The views as last read, read again (and the gauges made to follow) when older than the cache allows. */
    private synchronized ViewSnapshot current() {
        long now = System.nanoTime();
        if (snapshot == null || now - snapshot.readAtNanos() >= cacheForNanos) {
            List<Registration> views = registrations.list();
            snapshot = ViewSnapshot.of(views, views.isEmpty() ? Map.of() : behindSince.apply(views), now);
            for (Bound target : bound) {
                target.follow(snapshot);
            }
        }
        return snapshot;
    }

    /** One registry and the views it has gauges for. */
    private final class Bound {
        private final MeterRegistry registry;
        private final Set<String> views = new HashSet<>();

        Bound(MeterRegistry registry) {
            this.registry = registry;
        }

        void follow(ViewSnapshot snapshot) {
            for (String view : snapshot.views()) {
                if (views.add(view)) {
                    gauge(MeterNames.VIEW_DATA_AGE, view, "Time since the start of the last successful refresh",
                            ViewMetrics.this::dataAgeSeconds);
                    gauge(MeterNames.VIEW_LAG, view, "How long the view has been behind its sources",
                            ViewMetrics.this::lagSeconds);
                    gauge(MeterNames.VIEW_TARGET_LAG, view, "How far behind its sources the view may fall",
                            ViewMetrics.this::targetLagSeconds);
                }
            }
            for (String gone : Set.copyOf(views)) {
                if (!snapshot.views().contains(gone)) {
                    views.remove(gone);
                    removeMetersOf(gone);
                }
            }
        }

        private void gauge(String name, String view, String description, ToDoubleFunction<String> value) {
            Gauge.builder(name, view, value).description(description).baseUnit("seconds")
                    .tag(MeterNames.TAG_VIEW, view).strongReference(true).register(registry);
        }

        private void removeMetersOf(String view) {
            for (Meter meter : registry.getMeters()) {
                Meter.Id id = meter.getId();
                if (id.getName().startsWith(MeterNames.PREFIX) && view.equals(id.getTag(MeterNames.TAG_VIEW))) {
                    registry.remove(meter);
                }
            }
        }
    }
}
