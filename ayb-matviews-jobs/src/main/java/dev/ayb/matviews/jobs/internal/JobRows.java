package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.Schedule;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Rows of the schedule and job tables as values. */
final class JobRows {
    static final String SCHEDULE_COLUMNS = "id, name, job_type, payload::text AS payload, cron_expr, timezone, enabled,"
            + " max_attempts, next_run_at, last_run_at, created_at, updated_at";
    static final String JOB_COLUMNS = "id, type, payload::text AS payload, state, run_at, lease_until, worker_id,"
            + " attempts, max_attempts, last_error, result, last_run_at, schedule_id, created_at, updated_at,"
            + " completed_at, canceled_at";

    private JobRows() {
    }

    static Schedule schedule(ResultSet row) throws SQLException {
        return new Schedule(
                row.getObject("id", UUID.class),
                row.getString("name"),
                row.getString("job_type"),
                Payloads.fromJson(row.getString("payload")),
                row.getString("cron_expr"),
                row.getString("timezone"),
                row.getBoolean("enabled"),
                row.getInt("max_attempts"),
                instant(row, "next_run_at"),
                instant(row, "last_run_at"),
                instant(row, "created_at"),
                instant(row, "updated_at"));
    }

    static Job job(ResultSet row) throws SQLException {
        return new Job(
                row.getObject("id", UUID.class),
                row.getString("type"),
                Payloads.fromJson(row.getString("payload")),
                JobState.fromWire(row.getString("state")),
                instant(row, "run_at"),
                instant(row, "lease_until"),
                row.getString("worker_id"),
                row.getInt("attempts"),
                row.getInt("max_attempts"),
                row.getString("last_error"),
                row.getString("result"),
                instant(row, "last_run_at"),
                row.getObject("schedule_id", UUID.class),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                instant(row, "completed_at"),
                instant(row, "canceled_at"));
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }
}
