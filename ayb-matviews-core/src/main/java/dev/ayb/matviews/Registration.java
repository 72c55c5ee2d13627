package dev.ayb.matviews;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A materialized view the library manages, and the outcome of its most recent refresh. The
 * {@code lastRefresh*} fields are all null until the first refresh runs.
 *
 * @param timeouts       per-view overrides of the library's default refresh timeouts ({@link RefreshTimeouts#NONE}
 *                       when the defaults apply)
 * @param changeTracking whether the library tracks writes to the view's base tables, so that it can say
 *                       exactly whether the view is behind them
 * @param lastSuccessAt  when the last successful refresh started: the moment the view's data is "as of".
 *                       Null until a refresh succeeds; a failed refresh leaves it as it was
 * @param targetLagMs    how far behind its sources the view may fall before the job runner refreshes it (see
 *                       {@link TargetLag}); null when it has no target
 * @param nextRefreshAt  when the job runner plans to refresh the view to meet its target; null when no refresh is
 *                       planned (no target, or nothing to catch up with). Written by the planner, read by everyone
 */
public record Registration(
        UUID id,
        String schemaName,
        String viewName,
        RefreshMode refreshMode,
        RefreshTimeouts timeouts,
        boolean changeTracking,
        @Nullable Instant lastRefreshAt,
        @Nullable Long lastRefreshDurationMs,
        @Nullable RefreshStatus lastRefreshStatus,
        @Nullable String lastRefreshError,
        @Nullable Instant lastSuccessAt,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Long targetLagMs,
        @Nullable Instant nextRefreshAt) {

    public Registration {
        Objects.requireNonNull(id, "id");
        IdentifierValidator.validate(schemaName);
        IdentifierValidator.validate(viewName);
        Objects.requireNonNull(refreshMode, "refreshMode");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        TargetLag.validMillis(targetLagMs);
    }

    /** A registration without a target lag, as before targets existed. */
    public Registration(UUID id, String schemaName, String viewName, RefreshMode refreshMode, RefreshTimeouts timeouts,
                        boolean changeTracking, @Nullable Instant lastRefreshAt, @Nullable Long lastRefreshDurationMs,
                        @Nullable RefreshStatus lastRefreshStatus, @Nullable String lastRefreshError,
                        @Nullable Instant lastSuccessAt, Instant createdAt, Instant updatedAt) {
        this(id, schemaName, viewName, refreshMode, timeouts, changeTracking, lastRefreshAt, lastRefreshDurationMs,
                lastRefreshStatus, lastRefreshError, lastSuccessAt, createdAt, updatedAt, null, null);
    }

    /** The target lag as a duration; empty when the view has none. */
    public Optional<Duration> targetLag() {
        return Optional.ofNullable(targetLagMs).map(Duration::ofMillis);
    }

    public QualifiedName qualifiedName() {
        return new QualifiedName(schemaName, viewName);
    }

    public boolean neverRefreshed() {
        return lastRefreshAt == null;
    }
}
