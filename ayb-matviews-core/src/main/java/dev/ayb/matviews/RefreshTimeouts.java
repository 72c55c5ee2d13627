package dev.ayb.matviews;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL's {@code lock_timeout} and {@code statement_timeout} for one refresh. An absent value
 * means "no limit of our own" (the connection's setting applies). A standard refresh needs ACCESS
 * EXCLUSIVE; without a lock timeout it queues behind a long reader and every later reader queues
 * behind it, which is why a lock timeout is worth setting in production.
 */
public record RefreshTimeouts(@Nullable Duration lockTimeout, @Nullable Duration statementTimeout) {
    public static final RefreshTimeouts NONE = new RefreshTimeouts(null, null);

    public RefreshTimeouts {
        requirePositive(lockTimeout, "lockTimeout");
        requirePositive(statementTimeout, "statementTimeout");
    }

    public static RefreshTimeouts of(@Nullable Duration lockTimeout, @Nullable Duration statementTimeout) {
        return new RefreshTimeouts(lockTimeout, statementTimeout);
    }

    public Optional<Duration> lock() {
        return Optional.ofNullable(lockTimeout);
    }

    public Optional<Duration> statement() {
        return Optional.ofNullable(statementTimeout);
    }

    public boolean isNone() {
        return lockTimeout == null && statementTimeout == null;
    }

    /** Each value of this one, or the fallback's where this one has none. */
    public RefreshTimeouts orElse(RefreshTimeouts fallback) {
        return new RefreshTimeouts(
                lockTimeout != null ? lockTimeout : fallback.lockTimeout,
                statementTimeout != null ? statementTimeout : fallback.statementTimeout);
    }

    /** PostgreSQL's timeouts are int4 milliseconds; a larger value would make every refresh fail. */
    public static final long MAX_MILLIS = Integer.MAX_VALUE;

    private static void requirePositive(@Nullable Duration value, String name) {
        if (value != null && (value.isNegative() || value.isZero() || value.toMillis() < 1)) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, name + " must be at least 1 ms");
        }
        if (value != null && value.compareTo(Duration.ofMillis(MAX_MILLIS)) > 0) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, name + " must be at most " + MAX_MILLIS + " ms");
        }
    }
}
