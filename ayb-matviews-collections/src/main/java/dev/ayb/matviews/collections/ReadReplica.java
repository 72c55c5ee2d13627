package dev.ayb.matviews.collections;

import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A hot standby that collection reads are served from, so the primary keeps its capacity for refreshes,
 * registrations, history, schedules and jobs, which always stay on it. Physical replication copies the
 * library's registrations too, so a read's ETag and data age come from the replica's own copy, in the same
 * statement and snapshot as its rows: a replica that has not replayed a refresh yet serves the old rows with
 * the old ETag, never one without the other, and {@code X-Data-As-Of} says how old they are.
 *
 * <p>How far behind the replica is, is measured in the read's own statement: nothing when it has replayed all
 * the WAL it received (an idle primary sends none, so the age of the last replayed commit would mean nothing),
 * otherwise the age of the last commit it replayed. The limits: a replica cut off from its primary has nothing
 * pending and counts as current; when the primary was idle before the pending WAL, the lag is over-estimated.
 *
 * @param dataSource a pool on the replica; its connection timeout bounds how long a read waits for a replica
 *                   that is down before falling back
 * @param maxLag     reads from a replica further behind than this fall back ({@code fallback})
 * @param fallback   what a read does when the replica is down or too far behind
 * @param retryAfter the {@code Retry-After} of a 503 when {@code fallback} is {@link Fallback#UNAVAILABLE}
 */
public record ReadReplica(DataSource dataSource, Duration maxLag, Fallback fallback, Duration retryAfter) {
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    public ReadReplica {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(fallback, "fallback");
        if (maxLag == null || maxLag.isNegative()) {
            throw new IllegalArgumentException("the replica's max lag must be zero or more");
        }
        if (retryAfter == null || retryAfter.isNegative() || retryAfter.isZero()) {
            throw new IllegalArgumentException("Retry-After must be at least one second");
        }
    }

    /** Reads from the replica while it is at most 30 seconds behind, else from the primary. */
    public static ReadReplica of(DataSource dataSource) {
        return new ReadReplica(dataSource, DEFAULT_MAX_LAG, Fallback.PRIMARY, DEFAULT_RETRY_AFTER);
    }

    public ReadReplica withMaxLag(Duration maxLag) {
        return new ReadReplica(dataSource, maxLag, fallback, retryAfter);
    }

    public ReadReplica withFallback(Fallback fallback) {
        return new ReadReplica(dataSource, maxLag, fallback, retryAfter);
    }

    public ReadReplica withRetryAfter(Duration retryAfter) {
        return new ReadReplica(dataSource, maxLag, fallback, retryAfter);
    }

    /** Retry-After's value: whole seconds, at least one. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** What a read does when the replica is down or further behind than {@code maxLag}. */
    public enum Fallback {
        /** Reads from the primary: always an answer, at the primary's cost. */
        PRIMARY,
        /** Refuses with {@code REPLICA_UNAVAILABLE} (503 with {@code Retry-After}): the primary is kept for writes. */
        UNAVAILABLE
    }
}
