package dev.ayb.matviews;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The target-lag rule: when a view with a target must be refreshed so that its data is never more than the target
 * behind a committed source change. The job runner (module {@code ayb-matviews-jobs}) plans with it; it is pure, so
 * that the rule can be tested and explained on its own.
 *
 * <p>A view is <em>behind since</em> a moment {@code B}: for a tracked view, the first source change it has not seen
 * ({@link Freshness#behindSince()}); for a view whose changes are not known (not tracked, or behind for a reason such
 * as a foreign table), the start of its last successful refresh, so that it is refreshed every target period
 * (age-based). A current tracked view needs nothing. The refresh is then due at
 * <pre>  max(B + target - expected duration - target / 10, last refresh + minimum spacing)</pre>
 * The expected duration is learnt from the view's recent successful refreshes (a high percentile, so that a slow
 * one is planned for); the tenth of the target leaves room for what happens between "due" and the REFRESH (the
 * planner's poll, the queue's claim, the lock), so that the refresh finishes within the target rather than just
 * after it. The spacing makes a burst of writes cost one refresh instead of one per write.
 */
public final class TargetLag {
    /** The spacing a host leaves unset: a quarter of the target. */
    public static final int DEFAULT_SPACING_DIVISOR = 4;
    /** The room left for queueing: a tenth of the target. */
    public static final int QUEUE_MARGIN_DIVISOR = 10;

    private TargetLag() {
    }

    /** @throws MatviewException {@link ErrorCode#INVALID_ARGUMENT} for a target that is not positive */
    public static @Nullable Long validMillis(@Nullable Long targetLagMs) {
        if (targetLagMs != null && targetLagMs <= 0) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "targetLagMs must be positive");
        }
        return targetLagMs;
    }

    /** The same rule for a duration; null stays null (no target). */
    public static @Nullable Long validMillis(@Nullable Duration targetLag) {
        return targetLag == null ? null : validMillis(targetLag.toMillis());
    }

    /** The spacing of a target when the host sets none. */
    public static Duration defaultSpacing(Duration target) {
        return target.dividedBy(DEFAULT_SPACING_DIVISOR);
    }

    /**
     * The moment the view is behind since, as planning counts it; null when it needs no refresh (tracked and
     * current).
     */
    public static @Nullable Instant behindSince(Registration registration, Freshness freshness) {
        if (freshness.state() == Freshness.State.CURRENT) {
            return null;
        }
        if (freshness.state() == Freshness.State.BEHIND && freshness.behindSince() != null) {
            return freshness.behindSince();
        }
        // Not known: age-based. Never refreshed successfully: due at once.
        return registration.lastSuccessAt() != null ? registration.lastSuccessAt() : Instant.EPOCH;
    }

    /**
     * When the refresh is due; null when none is needed.
     *
     * @param expected how long the refresh is expected to take (zero when nothing is known yet)
     * @param spacing  the least time between two refreshes of the view
     */
    public static @Nullable Instant due(Registration registration, Freshness freshness, Duration expected,
                                        Duration spacing) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(spacing, "spacing");
        Long target = registration.targetLagMs();
        Instant since = behindSince(registration, freshness);
        if (target == null || since == null) {
            return null;
        }
        Instant due = since.plusMillis(target - target / QUEUE_MARGIN_DIVISOR).minus(expected);
        Instant lastRefresh = registration.lastRefreshAt();
        if (lastRefresh != null && lastRefresh.plus(spacing).isAfter(due)) {
            due = lastRefresh.plus(spacing);
        }
        return due;
    }

    /**
     * Why the view cannot keep up with its target, or null when nothing says so: its refreshes take longer than the
     * target, or its last refresh failed. A view behind for such a reason says so in its freshness.
     */
    public static @Nullable String cannotKeepUp(Registration registration) {
        Long target = registration.targetLagMs();
        if (target == null) {
            return null;
        }
        if (registration.lastRefreshStatus() == RefreshStatus.ERROR) {
            return "last refresh failed: " + registration.lastRefreshError();
        }
        Long took = registration.lastRefreshDurationMs();
        if (took != null && took > target) {
            return "refresh takes longer than the target lag (" + took + " ms > " + target + " ms)";
        }
        return null;
    }
}
