package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Reads rows of the library's tables into values, and binds values as parameters. */
public final class Rows {
    public static final String REGISTRATION_COLUMNS = "id, schema_name, view_name, refresh_mode, lock_timeout_ms, "
            + "statement_timeout_ms, change_tracking, last_refresh_at, last_refresh_duration_ms, last_refresh_status, "
            + "last_refresh_error, last_success_at, created_at, updated_at, target_lag_ms, next_refresh_at";

    static final String RUN_COLUMNS = "id, registration_id, schema_name, view_name, refresh_mode, trigger, "
            + "started_at, finished_at, duration_ms, status, error, sql_state";

    private Rows() {
    }

    public static Registration registration(ResultSet row) throws SQLException {
        String status = row.getString("last_refresh_status");
        return new Registration(
                row.getObject("id", UUID.class),
                row.getString("schema_name"),
                row.getString("view_name"),
                RefreshMode.fromWire(row.getString("refresh_mode")),
                new RefreshTimeouts(millis(row, "lock_timeout_ms"), millis(row, "statement_timeout_ms")),
                row.getBoolean("change_tracking"),
                instant(row, "last_refresh_at"),
                nullableLong(row, "last_refresh_duration_ms"),
                status == null ? null : RefreshStatus.fromWire(status),
                row.getString("last_refresh_error"),
                instant(row, "last_success_at"),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                nullableLong(row, "target_lag_ms"),
                instant(row, "next_refresh_at"));
    }

    static RefreshRun run(ResultSet row) throws SQLException {
        return new RefreshRun(
                row.getLong("id"),
                row.getObject("registration_id", UUID.class),
                row.getString("schema_name"),
                row.getString("view_name"),
                RefreshMode.fromWire(row.getString("refresh_mode")),
                RefreshTrigger.fromWire(row.getString("trigger")),
                instant(row, "started_at"),
                instant(row, "finished_at"),
                row.getLong("duration_ms"),
                RefreshStatus.fromWire(row.getString("status")),
                row.getString("error"),
                row.getString("sql_state"));
    }

    static void setInstant(PreparedStatement statement, int index, @Nullable Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static void setMillis(PreparedStatement statement, int index, @Nullable Duration value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value.toMillis());
        }
    }

    public static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static @Nullable Duration millis(ResultSet row, String column) throws SQLException {
        Long value = nullableLong(row, column);
        return value == null ? null : Duration.ofMillis(value);
    }
}
