package dev.ayb.matviews;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A refresh that succeeded or was skipped: the registration as it is <em>after</em> the run was recorded (the
 * original system returned it as read before, with stale {@code lastRefresh*} fields), and how long the
 * {@code REFRESH} statement took (for a skipped run: how long the change check took).
 *
 * @param skipped    a refresh asked "only if changed" found the view current and ran no {@code REFRESH}; the
 *                   registration's {@code lastRefresh*} fields are then as they were
 * @param skipReason why it was skipped; null when not skipped
 */
public record RefreshResult(Registration registration, long durationMs, boolean skipped, @Nullable String skipReason) {
    public RefreshResult {
        Objects.requireNonNull(registration, "registration");
        if (skipped != (skipReason != null)) {
            throw new IllegalArgumentException("a skipped refresh has a reason, and only a skipped one");
        }
    }

    /** A refresh that ran. */
    public RefreshResult(Registration registration, long durationMs) {
        this(registration, durationMs, false, null);
    }
}
