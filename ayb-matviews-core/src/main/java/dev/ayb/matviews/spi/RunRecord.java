package dev.ayb.matviews.spi;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one refresh, as the core hands it to storage: it becomes both the registration's
 * {@code lastRefresh*} fields and a row of the run history.
 */
public record RunRecord(
        UUID registrationId,
        QualifiedName view,
        RefreshMode mode,
        RefreshTrigger trigger,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        RefreshStatus status,
        @Nullable String error,
        @Nullable String sqlState) {

    public RunRecord {
        Objects.requireNonNull(registrationId, "registrationId");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(status, "status");
    }
}
