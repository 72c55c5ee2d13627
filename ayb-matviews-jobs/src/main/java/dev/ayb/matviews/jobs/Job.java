package dev.ayb.matviews.jobs;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One unit of work in the queue.
 *
 * @param leaseUntil while running, the time by which the worker must renew its lease; after it, any
 *                   instance's recovery pass puts the job back in the queue (the worker is presumed dead)
 * @param result     what a finished handler reported, e.g. {@code skipped: refresh already in progress}
 * @param scheduleId the schedule that enqueued it, null for jobs enqueued otherwise
 */
public record Job(
        UUID id,
        String type,
        Map<String, @Nullable Object> payload,
        JobState state,
        Instant runAt,
        @Nullable Instant leaseUntil,
        @Nullable String workerId,
        int attempts,
        int maxAttempts,
        @Nullable String lastError,
        @Nullable String result,
        @Nullable Instant lastRunAt,
        @Nullable UUID scheduleId,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant completedAt,
        @Nullable Instant canceledAt) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        // JSON null values are legal in a payload, which Map.copyOf would refuse.
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(payload, "payload")));
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(runAt, "runAt");
    }
}
