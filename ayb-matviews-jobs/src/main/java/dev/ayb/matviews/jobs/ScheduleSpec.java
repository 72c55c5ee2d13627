package dev.ayb.matviews.jobs;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks for when creating a schedule, or (with {@code null} meaning "unchanged") when
 * updating one. Checked by {@link ScheduleAdmin}, which answers with the original system's messages.
 */
public record ScheduleSpec(
        @Nullable String name,
        @Nullable String jobType,
        @Nullable String cronExpr,
        @Nullable String timezone,
        @Nullable Map<String, @Nullable Object> payload,
        @Nullable Boolean enabled,
        @Nullable Integer maxAttempts) {

    public static final String DEFAULT_TIMEZONE = "UTC";
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int MAX_NAME_LENGTH = 100;

    /** A spec with the defaults: UTC, empty payload, enabled, 3 attempts. */
    public static ScheduleSpec of(String name, String jobType, String cronExpr) {
        return new ScheduleSpec(name, jobType, cronExpr, null, null, null, null);
    }

    /** An update that changes nothing yet. */
    public static ScheduleSpec unchanged() {
        return new ScheduleSpec(null, null, null, null, null, null, null);
    }

    public ScheduleSpec withName(String value) {
        return new ScheduleSpec(value, jobType, cronExpr, timezone, payload, enabled, maxAttempts);
    }

    public ScheduleSpec withJobType(String value) {
        return new ScheduleSpec(name, value, cronExpr, timezone, payload, enabled, maxAttempts);
    }

    public ScheduleSpec withCronExpr(String value) {
        return new ScheduleSpec(name, jobType, value, timezone, payload, enabled, maxAttempts);
    }

    public ScheduleSpec withTimezone(String value) {
        return new ScheduleSpec(name, jobType, cronExpr, value, payload, enabled, maxAttempts);
    }

    public ScheduleSpec withPayload(Map<String, @Nullable Object> value) {
        return new ScheduleSpec(name, jobType, cronExpr, timezone, value, enabled, maxAttempts);
    }

    public ScheduleSpec withEnabled(boolean value) {
        return new ScheduleSpec(name, jobType, cronExpr, timezone, payload, value, maxAttempts);
    }

    public ScheduleSpec withMaxAttempts(int value) {
        return new ScheduleSpec(name, jobType, cronExpr, timezone, payload, enabled, value);
    }
}
