package dev.ayb.matviews.jobs;

import dev.ayb.matviews.TargetLag;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the job runner keeps views with a target lag within it (see {@link dev.ayb.matviews.TargetLag}).
 *
 * @param enabled                whether this instance plans target-lag refreshes (default true). Any instance that
 *                               runs jobs may plan; the job queue makes each planned refresh one job whatever their
 *                               number
 * @param maxConcurrentRefreshes how many target-lag refreshes may be queued or running at once across the whole
 *                               deployment (default {@value #DEFAULT_MAX_CONCURRENT_REFRESHES}), so that they cannot
 *                               saturate the database. Every instance must use the same value
 * @param minSpacing             the least time between two refreshes of one view, so that a burst of writes costs one
 *                               refresh; null (the default) means a quarter of the view's target
 */
public record TargetLagOptions(boolean enabled, int maxConcurrentRefreshes, @Nullable Duration minSpacing) {
    public static final int DEFAULT_MAX_CONCURRENT_REFRESHES = 2;

    public TargetLagOptions {
        if (maxConcurrentRefreshes < 1) {
            throw new IllegalArgumentException("maxConcurrentRefreshes must be at least 1");
        }
        if (minSpacing != null && minSpacing.isNegative()) {
            throw new IllegalArgumentException("minSpacing must not be negative");
        }
    }

    public static TargetLagOptions defaults() {
        return new TargetLagOptions(true, DEFAULT_MAX_CONCURRENT_REFRESHES, null);
    }

    public TargetLagOptions withEnabled(boolean value) {
        return new TargetLagOptions(value, maxConcurrentRefreshes, minSpacing);
    }

    public TargetLagOptions withMaxConcurrentRefreshes(int value) {
        return new TargetLagOptions(enabled, value, minSpacing);
    }

    public TargetLagOptions withMinSpacing(@Nullable Duration value) {
        return new TargetLagOptions(enabled, maxConcurrentRefreshes, value);
    }

    /** The spacing of a view with this target. */
    public Duration spacingFor(Duration target) {
        return minSpacing != null ? minSpacing : TargetLag.defaultSpacing(target);
    }
}
