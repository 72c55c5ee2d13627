package dev.ayb.matviews;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One recorded refresh of a view, as kept in the run history.
 *
 * @param error    the failure message, null on success
 * @param sqlState PostgreSQL's SQLSTATE when the database refused the refresh, else null
 */
public record RefreshRun(
        long id,
        UUID registrationId,
        String schemaName,
        String viewName,
        RefreshMode refreshMode,
        RefreshTrigger trigger,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        RefreshStatus status,
        @Nullable String error,
        @Nullable String sqlState) {

    public RefreshRun {
        Objects.requireNonNull(registrationId, "registrationId");
        Objects.requireNonNull(refreshMode, "refreshMode");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(status, "status");
    }

    public QualifiedName qualifiedName() {
        return new QualifiedName(schemaName, viewName);
    }
}
