package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.support.Connections;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.PgErrors;
import dev.ayb.matviews.jobs.CronSchedule;
import dev.ayb.matviews.jobs.Schedule;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The schedules table, and the transaction that turns due ticks into queued jobs. */
public final class JdbcSchedules {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSchedules.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final Sql sql;
    private final LibrarySchema schema;

    public JdbcSchedules(Sql sql, LibrarySchema schema) {
        this.sql = sql;
        this.schema = schema;
    }

    public Schedule insert(Schedule s) {
        String text = "INSERT INTO " + schema.schedules() + " (id, name, job_type, payload, cron_expr, timezone, enabled,"
                + " max_attempts, next_run_at, last_run_at, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + JobRows.SCHEDULE_COLUMNS;
        return write("creating schedule " + s.name(), text, s, false);
    }

    public Schedule replace(Schedule s) {
        String text = "UPDATE " + schema.schedules() + " SET id = ?, name = ?, job_type = ?, payload = ?::jsonb,"
                + " cron_expr = ?, timezone = ?, enabled = ?, max_attempts = ?, next_run_at = ?, last_run_at = ?,"
                + " created_at = ?, updated_at = ? WHERE id = ? RETURNING " + JobRows.SCHEDULE_COLUMNS;
        return write("updating schedule " + s.name(), text, s, true);
    }

    public Optional<Schedule> findById(UUID id) {
        return sql.query("reading a schedule", "SELECT " + JobRows.SCHEDULE_COLUMNS + " FROM " + schema.schedules()
                + " WHERE id = ?", st -> st.setObject(1, id), JobRows::schedule).stream().findFirst();
    }

    public Optional<Schedule> findByName(String name) {
        return sql.query("reading a schedule", "SELECT " + JobRows.SCHEDULE_COLUMNS + " FROM " + schema.schedules()
                + " WHERE name = ?", st -> st.setString(1, name), JobRows::schedule).stream().findFirst();
    }

    public List<Schedule> findAll() {
        return sql.query("listing schedules", "SELECT " + JobRows.SCHEDULE_COLUMNS + " FROM " + schema.schedules()
                + " ORDER BY name COLLATE \"C\"", st -> { }, JobRows::schedule);
    }

    public boolean delete(UUID id) {
        return sql.update("deleting a schedule", "DELETE FROM " + schema.schedules() + " WHERE id = ?",
                st -> st.setObject(1, id)) > 0;
    }

    /**
     * Enqueues one job for every due tick and moves each schedule to its next tick, in one transaction.
     * {@code FOR UPDATE SKIP LOCKED} lets instances share the work without waiting on each other; the
     * re-check of {@code next_run_at} under the row lock and the unique (schedule, tick) index make it
     * impossible for two instances to enqueue the same tick. Ticks missed while every instance was down
     * collapse into one run (see {@link CronSchedule#CATCH_UP_WINDOW}).
     *
     * @return how many jobs were enqueued
     */
    public int enqueueDue(Instant now, int batchSize) {
        String select = "SELECT " + JobRows.SCHEDULE_COLUMNS + " FROM " + schema.schedules()
                + " WHERE enabled AND next_run_at <= ? ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED";
        String insert = "INSERT INTO " + schema.jobs() + " (id, type, payload, state, run_at, attempts, max_attempts,"
                + " schedule_id, scheduled_for, created_at, updated_at)"
                + " VALUES (?, ?, ?::jsonb, 'queued', ?, 0, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
        String advance = "UPDATE " + schema.schedules() + " SET next_run_at = ?, last_run_at = ?, updated_at = ?"
                + " WHERE id = ?";
        try {
            return Connections.inTransaction(sql.dataSource(), connection -> {
                List<Schedule> due = Sql.query(connection, select, st -> {
                    JobRows.setInstant(st, 1, now);
                    st.setInt(2, batchSize);
                }, JobRows::schedule);
                int enqueued = 0;
                try (PreparedStatement jobs = connection.prepareStatement(insert);
                     PreparedStatement schedules = connection.prepareStatement(advance)) {
                    for (Schedule schedule : due) {
                        Instant tick = schedule.nextRunAt();
                        jobs.setObject(1, UUID.randomUUID());
                        jobs.setString(2, schedule.jobType());
                        jobs.setString(3, Payloads.toJson(schedule.payload()));
                        JobRows.setInstant(jobs, 4, tick);
                        jobs.setInt(5, schedule.maxAttempts());
                        jobs.setObject(6, schedule.id());
                        JobRows.setInstant(jobs, 7, tick);
                        JobRows.setInstant(jobs, 8, now);
                        JobRows.setInstant(jobs, 9, now);
                        jobs.addBatch();
                        JobRows.setInstant(schedules, 1, nextTick(schedule, tick, now));
                        JobRows.setInstant(schedules, 2, tick);
                        JobRows.setInstant(schedules, 3, now);
                        schedules.setObject(4, schedule.id());
                        schedules.addBatch();
                    }
                    if (!due.isEmpty()) {
                        for (int inserted : jobs.executeBatch()) {
                            enqueued += Math.max(inserted, 0);
                        }
                        schedules.executeBatch();
                    }
                }
                return enqueued;
            });
        } catch (SQLException e) {
            throw PgErrors.database("enqueueing due schedules", e);
        }
    }

    /** The tick after {@code tick}, or after now when that is too far behind; null stops a broken schedule. */
    private static Instant nextTick(Schedule schedule, Instant tick, Instant now) {
        try {
            return CronSchedule.parse(schedule.cronExpr(), schedule.timezone()).nextAfterDue(tick, now).orElse(null);
        } catch (MatviewException e) {
            LOG.error("Schedule {} has an unusable cron expression or time zone ({}); it will not fire again until"
                    + " it is corrected", schedule.name(), e.getMessage());
            return null;
        }
    }

    private Schedule write(String what, String text, Schedule s, boolean byId) {
        List<Schedule> rows;
        try {
            rows = Connections.withConnection(sql.dataSource(), connection -> Sql.query(connection, text, st -> {
                st.setObject(1, s.id());
                st.setString(2, s.name());
                st.setString(3, s.jobType());
                st.setString(4, Payloads.toJson(s.payload()));
                st.setString(5, s.cronExpr());
                st.setString(6, s.timezone());
                st.setBoolean(7, s.enabled());
                st.setInt(8, s.maxAttempts());
                JobRows.setInstant(st, 9, s.nextRunAt());
                JobRows.setInstant(st, 10, s.lastRunAt());
                JobRows.setInstant(st, 11, s.createdAt());
                JobRows.setInstant(st, 12, s.updatedAt());
                if (byId) {
                    st.setObject(13, s.id());
                }
            }, JobRows::schedule));
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new MatviewException(ErrorCode.SCHEDULE_NAME_TAKEN, ErrorCode.SCHEDULE_NAME_TAKEN.defaultMessage(),
                        null, e.getSQLState(), e);
            }
            throw PgErrors.database(what, e);
        }
        if (rows.isEmpty()) {
            throw new MatviewException(ErrorCode.SCHEDULE_NOT_FOUND);
        }
        return rows.get(0);
    }
}
