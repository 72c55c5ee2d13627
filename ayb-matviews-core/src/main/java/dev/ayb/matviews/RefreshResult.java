package dev.ayb.matviews;

import java.util.Objects;

/**
 * A successful refresh: the registration as it is <em>after</em> the refresh was recorded (the original
 * system returned it as read before, with stale {@code lastRefresh*} fields), and how long the
 * {@code REFRESH} statement took.
 */
public record RefreshResult(Registration registration, long durationMs) {
    public RefreshResult {
        Objects.requireNonNull(registration, "registration");
    }
}
