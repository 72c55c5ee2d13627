package dev.ayb.matviews.jobs;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A cron schedule that enqueues a job of {@code jobType} at every tick. {@code nextRunAt} is null while
 * the schedule is disabled.
 *
 * @param timezone IANA zone in which the cron expression is read (DST included); times are stored in UTC
 */
public record Schedule(
        UUID id,
        String name,
        String jobType,
        Map<String, @Nullable Object> payload,
        String cronExpr,
        String timezone,
        boolean enabled,
        int maxAttempts,
        @Nullable Instant nextRunAt,
        @Nullable Instant lastRunAt,
        Instant createdAt,
        Instant updatedAt) {

    public Schedule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(jobType, "jobType");
        // JSON null values are legal in a payload, which Map.copyOf would refuse.
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(payload, "payload")));
        Objects.requireNonNull(cronExpr, "cronExpr");
        Objects.requireNonNull(timezone, "timezone");
    }
}
