package dev.ayb.matviews.jdbc.internal;

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

/**
 * Writes a run's outcome in one statement (one round trip): the registration's {@code lastRefresh*}
 * fields, a history row, and the pruning of history beyond the retention.
 */
final class RunRecorder {
    private final String sql;
    private final int retention;

    RunRecorder(LibrarySchema schema, int retention) {
        this.retention = retention;
        // The three data-modifying CTEs share one snapshot: the DELETE does not see the new row, so it
        // keeps retention - 1 older runs and the new one makes retention.
        this.sql = "WITH updated AS ("
                + " UPDATE " + schema.registrations()
                + " SET last_refresh_at = ?, last_refresh_duration_ms = ?, last_refresh_status = ?,"
                + " last_refresh_error = ?, updated_at = ? WHERE id = ? RETURNING " + Rows.REGISTRATION_COLUMNS + "),"
                + " inserted AS ("
                + " INSERT INTO " + schema.runs() + " (registration_id, schema_name, view_name, refresh_mode, trigger,"
                + " started_at, finished_at, duration_ms, status, error, sql_state)"
                + " SELECT id, schema_name, view_name, ?, ?, ?, ?, ?, ?, ?, ? FROM updated"
                + " RETURNING id),"
                + " pruned AS ("
                + " DELETE FROM " + schema.runs() + " WHERE id IN (SELECT id FROM " + schema.runs()
                + " WHERE registration_id = ? ORDER BY id DESC OFFSET ?))"
                + " SELECT u.*, i.id AS run_id FROM updated u, inserted i";
    }

    RecordedRun record(Connection connection, RunRecord run) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            Rows.setInstant(statement, i++, run.finishedAt());
            statement.setLong(i++, run.durationMs());
            statement.setString(i++, run.status().wireName());
            statement.setString(i++, run.status() == RefreshStatus.SUCCESS ? null : run.error());
            Rows.setInstant(statement, i++, run.finishedAt());
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
            statement.setInt(i, retention - 1);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
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
        } catch (SQLException e) {
            throw PgErrors.database("recording the refresh of " + run.view(), e);
        }
    }
}
