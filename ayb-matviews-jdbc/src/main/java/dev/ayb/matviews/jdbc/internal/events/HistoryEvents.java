package dev.ayb.matviews.jdbc.internal.events;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.jdbc.internal.Rows;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Refresh events read from the run history, the one source of truth whether an instance listens or polls: a
 * notification only says "read the history now". Every read goes by the history's primary key.
 */
final class HistoryEvents {
    private final String select;
    private final String runs;

    HistoryEvents(LibrarySchema schema) {
        this.runs = schema.runs();
        // The registration's timestamps are joined as they stand now; a run of a view unregistered since has none.
        this.select = "SELECT r.id, r.schema_name, r.view_name, r.status, r.duration_ms,"
                + " g.last_refresh_at, g.last_success_at FROM " + schema.runs() + " r"
                + " LEFT JOIN " + schema.registrations() + " g ON g.id = r.registration_id";
    }

    long latestId(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT coalesce(max(id), 0) FROM " + runs);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Runs after {@code afterId}, and those of {@code gaps} (ids skipped so far that may still commit). */
    List<RefreshEvent> after(Connection connection, long afterId, Long[] gaps, int limit) throws SQLException {
        String sql = select + " WHERE r.id > ? OR r.id = ANY (?) ORDER BY r.id LIMIT ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Array ids = connection.createArrayOf("bigint", gaps);
            statement.setLong(1, afterId);
            statement.setArray(2, ids);
            statement.setInt(3, limit);
            return read(statement);
        }
    }

    /** @param view null for every view */
    List<RefreshEvent> replay(Connection connection, long afterId, @Nullable QualifiedName view, int limit)
            throws SQLException {
        String sql = select + " WHERE r.id > ?"
                + (view == null ? "" : " AND r.schema_name = ? AND r.view_name = ?") + " ORDER BY r.id LIMIT ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int i = 1;
            statement.setLong(i++, afterId);
            if (view != null) {
                statement.setString(i++, view.schema());
                statement.setString(i++, view.view());
            }
            statement.setInt(i, limit);
            return read(statement);
        }
    }

    private static List<RefreshEvent> read(PreparedStatement statement) throws SQLException {
        List<RefreshEvent> events = new ArrayList<>();
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                events.add(RefreshEvent.refresh(row.getLong("id"),
                        new QualifiedName(row.getString("schema_name"), row.getString("view_name")),
                        RefreshStatus.fromWire(row.getString("status")), Rows.instant(row, "last_refresh_at"),
                        Rows.instant(row, "last_success_at"), row.getLong("duration_ms")));
            }
        }
        return events;
    }
}
