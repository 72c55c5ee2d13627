package dev.ayb.matviews;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Answers "is anything wrong with the registered views?" for a load balancer, a monitor or an operator: a view
 * is unhealthy when its last refresh failed, or when it has been behind its sources for longer than a threshold
 * the host sets (see {@link #behindSince(FreshnessService)}), or when it has a target lag and is further behind than
 * that target ({@link HealthProblem#TARGET_MISSED}; a view with a target whose changes are not tracked counts its
 * data's age, as its age-based refreshes do). A view whose freshness is not known (not tracked) and has no target is
 * judged on its last refresh only. Reads only; starts no thread.
 */
public final class MatviewHealth {
    /** How long a view may stay behind its sources before it counts as unhealthy, unless the host says otherwise. */
    public static final Duration DEFAULT_BEHIND_THRESHOLD = Duration.ofHours(1);

    private final MatviewRegistry registry;
    private final Function<List<Registration>, Map<UUID, Instant>> behindSince;
    private final Clock clock;
    private final Duration behindThreshold;

    /**
     * @param behindSince     for the views given, when the first change each has not seen was made; views that
     *                        are current, or whose freshness is unknown, are absent. One call for the whole list
     * @param behindThreshold how long a view may be behind before it is unhealthy (zero: as soon as it is behind)
     */
    public MatviewHealth(MatviewRegistry registry, Function<List<Registration>, Map<UUID, Instant>> behindSince,
                         Clock clock, Duration behindThreshold) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.behindSince = Objects.requireNonNull(behindSince, "behindSince");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.behindThreshold = validThreshold(behindThreshold);
    }

    /**
     * "Behind since" as health reads it from {@code freshness}: a view behind because a source changed is behind
     * since that change; a view behind for a reason (something the library cannot track, a missing trigger) has
     * no such moment, so it counts from its last successful refresh (its registration, if it never had one).
     * Current and unknown views are not behind.
     */
    public static Function<List<Registration>, Map<UUID, Instant>> behindSince(FreshnessService freshness) {
        Objects.requireNonNull(freshness, "freshness");
        return registrations -> {
            Map<UUID, Freshness> states = freshness.of(registrations);
            Map<UUID, Instant> behind = new HashMap<>();
            for (Registration registration : registrations) {
                Freshness state = states.get(registration.id());
                if (state != null && state.state() == Freshness.State.BEHIND) {
                    behind.put(registration.id(), state.behindSince() != null ? state.behindSince()
                            : registration.lastSuccessAt() != null ? registration.lastSuccessAt()
                            : registration.createdAt());
                }
            }
            return behind;
        };
    }

    /** The threshold {@link #check()} uses. */
    public Duration behindThreshold() {
        return behindThreshold;
    }

    /** Every registered view, judged with the host's threshold. */
    public HealthReport check() {
        return check(behindThreshold);
    }

    /** Every registered view, judged with {@code threshold} instead of the host's. */
    public HealthReport check(Duration threshold) {
        validThreshold(threshold);
        List<Registration> registrations = registry.list();
        Map<UUID, Instant> behind = registrations.isEmpty() ? Map.of() : behindSince.apply(registrations);
        Instant now = clock.instant();
        List<UnhealthyView> unhealthy = new ArrayList<>();
        for (Registration registration : registrations) {
            Set<HealthProblem> problems = EnumSet.noneOf(HealthProblem.class);
            boolean failing = registration.lastRefreshStatus() == RefreshStatus.ERROR;
            if (failing) {
                problems.add(HealthProblem.FAILING);
            }
            Instant since = behind.get(registration.id());
            boolean tooLongBehind = since != null && Duration.between(since, now).compareTo(threshold) > 0;
            if (tooLongBehind) {
                problems.add(HealthProblem.BEHIND);
            }
            Instant lagSince = targetLagSince(registration, since);
            boolean targetMissed = lagSince != null
                    && Duration.between(lagSince, now).toMillis() > registration.targetLagMs();
            if (targetMissed) {
                problems.add(HealthProblem.TARGET_MISSED);
            }
            if (!problems.isEmpty()) {
                unhealthy.add(new UnhealthyView(registration.id(), registration.qualifiedName(), problems,
                        registration.lastRefreshAt(), failing ? registration.lastRefreshError() : null,
                        tooLongBehind ? since : targetMissed ? lagSince : null));
            }
        }
        return new HealthReport(now, threshold, registrations.size(), unhealthy);
    }

    /**
     * Since when a view with a target lag counts as behind: as {@link #behindSince} says for a tracked view, its
     * data's age for one whose changes are not tracked; null without a target or when not behind.
     */
    private static @Nullable Instant targetLagSince(Registration registration,
            @Nullable Instant behindSince) {
        if (registration.targetLagMs() == null) {
            return null;
        }
        if (registration.changeTracking()) {
            return behindSince;
        }
        return registration.lastSuccessAt() != null ? registration.lastSuccessAt() : registration.createdAt();
    }

    /**
     * The threshold rule, for whoever takes one before a {@code MatviewHealth} exists (a builder): not null, not
     * negative.
     *
     * @return {@code threshold}
     */
    public static Duration validThreshold(Duration threshold) {
        Objects.requireNonNull(threshold, "behindThreshold");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("behindThreshold must not be negative: " + threshold);
        }
        return threshold;
    }
}
