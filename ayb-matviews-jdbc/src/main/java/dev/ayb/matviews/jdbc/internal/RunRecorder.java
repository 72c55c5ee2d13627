package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.support.LibrarySchema;

import dev.ayb.matviews.jdbc.support.PgErrors;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Writes a run's outcome in one statement (one round trip): the registration's {@code lastRefresh*}
 * fields, a history row, and the pruning of history beyond the retention. A session-locked refresh also
 * releases its lock, and puts back the timeouts it changed, in that same statement.
 *
 * <p>Which outcome the registration shows is decided in the UPDATE, against the row as it is when the
 * statement gets it (a concurrent record is waited for, then re-read): {@code last_refresh_at} never goes
 * backwards, and a late record (written after its lock was lost) leaves the fields alone when a refresh
 * that finished after it was recorded meanwhile, except that a late success still moves {@code last_success_at}
 * (the view's data is as of its start unless a later success started after it). The history row is written
 * either way. The same statement announces the run ({@code NOTIFY}) to the instances listening for events.
 */
final class RunRecorder {
    private final String writes;
    private final int retention;

    RunRecorder(LibrarySchema schema, int retention) {
        this.retention = retention;
        // The three data-modifying CTEs share one snapshot: the DELETE does not see the new row, so it
        // keeps retention - 1 older runs and the new one makes retention.
        // "latest" is the updated row, or the row as it stood when the UPDATE left it alone.
        this.writes = "WITH updated AS ("
                + " UPDATE " + schema.registrations()
                + " SET last_refresh_at = GREATEST(last_refresh_at, ?), last_refresh_duration_ms = ?,"
                + " last_refresh_status = ?, last_refresh_error = ?,"
                + " last_success_at = CASE WHEN ?::boolean THEN GREATEST(last_success_at, ?) ELSE last_success_at END,"
                // A success keeps the snapshot its session captured, unless tracking was (re)started after it
                // was taken: such a snapshot predates the triggers, and changes before them were not recorded.
                + " change_snapshot = CASE WHEN ?::boolean AND change_tracking"
                + " AND pg_catalog.pg_visible_in_snapshot(tracking_xid, ?::pg_snapshot) THEN ?::pg_snapshot"
                + " ELSE change_snapshot END,"
                + " updated_at = ?"
                // A skipped run is a history row only.
                + " WHERE id = ? AND ?::boolean AND (?::boolean OR last_refresh_at IS NULL OR last_refresh_at <= ?)"
                + " RETURNING " + Rows.REGISTRATION_COLUMNS + "),"
                // A late success the UPDATE left alone (a refresh that finished after it was recorded first) still
                // made the view's data as of its start, unless a later success did: only last_success_at moves.
                // It reads "updated", so it runs after it and never writes the row a second time.
                + " advanced AS ("
                + " UPDATE " + schema.registrations() + " SET last_success_at = GREATEST(last_success_at, ?)"
                + " WHERE id = ? AND ?::boolean AND NOT EXISTS (SELECT 1 FROM updated)"
                + " RETURNING " + Rows.REGISTRATION_COLUMNS + "),"
                + " latest AS (SELECT " + Rows.REGISTRATION_COLUMNS + " FROM updated UNION ALL SELECT "
                + Rows.REGISTRATION_COLUMNS + " FROM advanced UNION ALL SELECT "
                + Rows.REGISTRATION_COLUMNS + " FROM " + schema.registrations()
                + " WHERE id = ? AND NOT EXISTS (SELECT 1 FROM updated) AND NOT EXISTS (SELECT 1 FROM advanced)),"
                + " inserted AS ("
                + " INSERT INTO " + schema.runs() + " (registration_id, schema_name, view_name, refresh_mode, trigger,"
                + " started_at, finished_at, duration_ms, status, error, sql_state)"
                + " SELECT id, schema_name, view_name, ?, ?, ?, ?, ?, ?, ?, ? FROM latest"
                + " RETURNING id),"
                // Records of one view that do not lock its registration row (skipped runs; a session-locked
                // refresh's record after its unlock) prune at the same time, and two DELETEs taking the same rows
                // in different orders deadlock: one record would be lost. A row another record has locked is
                // being deleted by it, so it is skipped; the newest rows kept are never locked.
                + " pruned AS ("
                + " DELETE FROM " + schema.runs() + " WHERE id IN (SELECT id FROM " + schema.runs()
                + " WHERE registration_id = ? AND id <= (SELECT id FROM " + schema.runs()
                + " WHERE registration_id = ? ORDER BY id DESC OFFSET ? LIMIT 1) FOR UPDATE SKIP LOCKED)),"
                // Views that read this one, directly or not, are behind it once it is refreshed: a change marker
                // for it, as the trigger writes for a table.
                + " marked AS ("
                + " INSERT INTO " + schema.changeMarkers() + " (relid, xid)"
                + " SELECT DISTINCT t.relid, pg_catalog.pg_current_xact_id() FROM " + schema.trackedRelations() + " t"
                + " WHERE ?::boolean AND t.kind = 'matview' AND t.schema_name = ? AND t.relation_name = ?"
                + " ON CONFLICT DO NOTHING)";
    }

    /**
     * The run is announced to every listening instance by the statement that records it, so the notification is
     * part of the record's transaction: PostgreSQL delivers it only when that transaction commits, and a record
     * rolled back is never announced. The payload (the run id) is informative only: listeners read the history.
     */
    private static String announce(String runId) {
        return "pg_catalog.pg_notify('" + EventChannel.NAME + "', " + runId + "::text)";
    }

    /** Records the run; the registration's current state comes back with it. */
    RecordedRun record(Connection connection, RunRecord run) {
        return record(connection, run, false, null);
    }

    /**
     * @param changeSnapshot {@code pg_current_snapshot()} as the session captured it before the REFRESH, for a
     *                       tracked view; null otherwise
     */
    RecordedRun record(Connection connection, RunRecord run, @Nullable String changeSnapshot) {
        return record(connection, run, false, changeSnapshot);
    }

    /**
     * @param late the run's lock was lost before this record: its outcome replaces the registration's
     *             only when no refresh that finished after it has been recorded
     */
    RecordedRun record(Connection connection, RunRecord run, boolean late, @Nullable String changeSnapshot) {
        String sql = writes + " SELECT u.*, i.id AS run_id, " + announce("i.id") + " AS announced"
                + " FROM latest u, inserted i";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bindWrites(statement, run, late, changeSnapshot);
            try (ResultSet row = statement.executeQuery()) {
                return recorded(row.next() ? row : null, run);
            }
        } catch (SQLException e) {
            throw PgErrors.database("recording the refresh of " + run.view(), e);
        }
    }

    /**
     * Records the run and releases the session's advisory lock, restoring the settings the refresh changed.
     * The unlock is evaluated once the registration is updated and the history row inserted; it takes effect
     * before the statement commits, so a refresh elsewhere may start a moment before this record is visible,
     * and its own record then waits on this one's row lock: records of a view still land in order.
     */
    Released recordAndRelease(Connection connection, RunRecord run, @Nullable String changeSnapshot,
                              SessionRelease release) {
        // The outer row exists even when the registration is gone, so the lock is released either way.
        // The announcement is in the outer list, not in the joined subquery: a volatile call there would keep
        // the planner from flattening it, and the statement's plan is the one the unlock's ordering was built on.
        String sql = writes + " SELECT " + release.selectList() + ", r.*,"
                + " CASE WHEN r.run_id IS NOT NULL THEN " + announce("r.run_id") + " END AS announced"
                + " FROM (SELECT 1) AS one"
                + " LEFT JOIN (SELECT u.*, i.id AS run_id FROM latest u, inserted i) r ON true";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            release.bind(statement, bindWrites(statement, run, false, changeSnapshot));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                SessionUnlock unlock = release.unlock(row);
                row.getObject("id");
                ResultSet registered = row.wasNull() ? null : row;
                try {
                    return new Released(unlock, recorded(registered, run), null);
                } catch (MatviewException e) {
                    return new Released(unlock, null, e);
                }
            }
        } catch (SQLException e) {
            throw PgErrors.database("recording the refresh of " + run.view(), e);
        }
    }

    /** What {@link #recordAndRelease} did: what the unlock found, and the record or why none. */
    record Released(SessionUnlock unlock, @Nullable RecordedRun recorded, @Nullable MatviewException failure) {
    }

    /** @return the index of the next parameter */
    private int bindWrites(PreparedStatement statement, RunRecord run, boolean late, @Nullable String changeSnapshot)
            throws SQLException {
        boolean success = run.status() == RefreshStatus.SUCCESS;
        int i = 1;
        Rows.setInstant(statement, i++, run.finishedAt());
        statement.setLong(i++, run.durationMs());
        statement.setString(i++, run.status().wireName());
        statement.setString(i++, run.status() == RefreshStatus.SUCCESS ? null : run.error());
        statement.setBoolean(i++, success);
        Rows.setInstant(statement, i++, run.startedAt());
        statement.setBoolean(i++, success && changeSnapshot != null);
        statement.setString(i++, changeSnapshot);
        statement.setString(i++, changeSnapshot);
        Rows.setInstant(statement, i++, run.finishedAt());
        statement.setObject(i++, run.registrationId());
        statement.setBoolean(i++, run.status() != RefreshStatus.SKIPPED);
        statement.setBoolean(i++, !late);
        Rows.setInstant(statement, i++, run.finishedAt());
        Rows.setInstant(statement, i++, run.startedAt());
        statement.setObject(i++, run.registrationId());
        statement.setBoolean(i++, success && late);
        statement.setObject(i++, run.registrationId());
        statement.setString(i++, run.mode().wireName());
        statement.setString(i++, run.trigger().wireName());
        Rows.setInstant(statement, i++, run.startedAt());
        Rows.setInstant(statement, i++, run.finishedAt());
        statement.setLong(i++, run.durationMs());
        statement.setString(i++, run.status().wireName());
        statement.setString(i++, run.error());
        statement.setString(i++, run.sqlState());
        statement.setObject(i++, run.registrationId());
        statement.setObject(i++, run.registrationId());
        statement.setInt(i++, retention - 1);
        statement.setBoolean(i++, success);
        statement.setString(i++, run.view().schema());
        statement.setString(i++, run.view().view());
        return i;
    }

    /** @param row positioned on the written registration, or null when there was none to write */
    private static RecordedRun recorded(@Nullable ResultSet row, RunRecord run) throws SQLException {
        if (row == null) {
            // Unregistered while the refresh ran: the refresh happened, but there is nothing to record it on.
            throw new MatviewException(ErrorCode.REGISTRATION_NOT_FOUND, ErrorCode.REGISTRATION_NOT_FOUND
                    .defaultMessage(), run.view(), null, null);
        }
        Registration registration = Rows.registration(row);
        RefreshRun recorded = new RefreshRun(row.getLong("run_id"), registration.id(),
                registration.schemaName(), registration.viewName(), run.mode(), run.trigger(),
                run.startedAt(), run.finishedAt(), run.durationMs(), run.status(), run.error(), run.sqlState());
        return new RecordedRun(registration, recorded);
    }
}
