package dev.ayb.matviews;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The registered views' health at one moment: healthy when none is failing (its last refresh failed) and none
 * has been behind its sources for longer than {@code behindThreshold}.
 *
 * @param views     how many views are registered
 * @param unhealthy the views that are not healthy, ordered by schema then name
 */
public record HealthReport(Instant checkedAt, Duration behindThreshold, int views, List<UnhealthyView> unhealthy) {
    public HealthReport {
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(behindThreshold, "behindThreshold");
        unhealthy = List.copyOf(unhealthy);
    }

    public boolean healthy() {
        return unhealthy.isEmpty();
    }
}
