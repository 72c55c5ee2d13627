package dev.ayb.matviews.servlet;

import java.util.List;

/** The schedule and job field names clients rely on, in the order the API writes them. */
final class WireFields {
    /** The original's schedule fields, in its order. */
    static final List<String> SCHEDULE = List.of("id", "name", "jobType", "payload", "cronExpr", "timezone",
            "enabled", "maxAttempts", "nextRunAt", "lastRunAt", "createdAt", "updatedAt");
    /** The original's job fields in its order, then {@code result}, which it did not have. */
    static final List<String> JOB = List.of("id", "type", "payload", "state", "runAt", "leaseUntil", "workerId",
            "attempts", "maxAttempts", "lastError", "lastRunAt", "scheduleId", "createdAt", "updatedAt",
            "completedAt", "canceledAt", "result");

    private WireFields() {
    }
}
