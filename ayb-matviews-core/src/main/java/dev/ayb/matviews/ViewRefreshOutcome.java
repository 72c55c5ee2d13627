package dev.ayb.matviews;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one view of a cascade.
 *
 * @param error why it failed or was skipped; null when refreshed
 */
public record ViewRefreshOutcome(QualifiedName view, Status status, long durationMs, @Nullable String error) {

    public enum Status {
        REFRESHED,
        /** Not attempted: an earlier view of the cascade failed. */
        SKIPPED,
        FAILED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ViewRefreshOutcome {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(status, "status");
    }
}
