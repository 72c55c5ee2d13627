package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Job;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a job reads in text output: one line after a change, or every field for {@code jobs show}. */
final class JobSummary {
    private JobSummary() {
    }

    /** e.g. {@code 3f2c... (materialized_view_refresh): queued, attempt 0 of 3, runs at 2026-02-22T10:00:00Z}. */
    static String of(Job job) {
        return job.id() + " (" + job.type() + "): " + job.state().wireName() + ", attempt " + job.attempts() + " of "
                + job.maxAttempts() + (job.state().isFinished() ? "" : ", runs at " + Display.timestamp(job.runAt()));
    }

    /** Field names and values, in the order the HTTP API's JSON lists them. */
    static Map<String, String> fields(Job job) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ID", job.id().toString());
        fields.put("TYPE", job.type());
        fields.put("PAYLOAD", CliJson.compact(job.payload()));
        fields.put("STATE", job.state().wireName());
        fields.put("RUN AT", Display.timestamp(job.runAt()));
        fields.put("LEASE UNTIL", Display.timestamp(job.leaseUntil()));
        fields.put("WORKER", job.workerId() == null ? Display.NONE : job.workerId());
        fields.put("ATTEMPTS", job.attempts() + " of " + job.maxAttempts());
        fields.put("LAST ERROR", job.lastError() == null ? Display.NONE : job.lastError());
        fields.put("LAST RUN", Display.lastRun(job.lastRunAt()));
        fields.put("SCHEDULE", job.scheduleId() == null ? Display.NONE : job.scheduleId().toString());
        fields.put("CREATED", Display.timestamp(job.createdAt()));
        fields.put("UPDATED", Display.timestamp(job.updatedAt()));
        fields.put("COMPLETED", Display.timestamp(job.completedAt()));
        fields.put("CANCELED", Display.timestamp(job.canceledAt()));
        fields.put("RESULT", job.result() == null ? Display.NONE : job.result());
        return fields;
    }
}
