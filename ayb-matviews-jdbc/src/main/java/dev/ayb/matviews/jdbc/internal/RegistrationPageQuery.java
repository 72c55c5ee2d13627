package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.RegistrationPage;
import dev.ayb.matviews.RegistrationQuery;
import dev.ayb.matviews.RegistrationSort;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of the registrations in SQL: the count of those the filter matches, then the page itself, on one
 * connection. The filter is bound (a {@code LIKE} pattern with its wildcards escaped, and a word compared with
 * the mode and status); the order is a column this class names for each {@link RegistrationSort}, so no
 * caller text becomes SQL.
 */
final class RegistrationPageQuery {
    /** Contains the text in schema.view, or names the mode or the status ("never" for no refresh yet). */
    private static final String FILTER = " WHERE ((schema_name || '.' || view_name) ILIKE ? ESCAPE '\\'"
            + " OR refresh_mode = ? OR coalesce(last_refresh_status, '" + RegistrationQuery.NEVER + "') = ?)";

    private final LibrarySchema schema;

    RegistrationPageQuery(LibrarySchema schema) {
        this.schema = schema;
    }

    RegistrationPage read(Connection connection, RegistrationQuery query) throws SQLException {
        String where = query.filter() == null ? "" : FILTER;
        long total;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM " + schema.registrations() + where)) {
            bindFilter(statement, query);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                total = row.getLong(1);
            }
        }
        List<Registration> items = new ArrayList<>();
        if (query.offset() < total) {
            String sql = "SELECT " + Rows.REGISTRATION_COLUMNS + " FROM " + schema.registrations() + where
                    + " ORDER BY " + orderBy(query) + " LIMIT ? OFFSET ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int next = bindFilter(statement, query);
                statement.setInt(next, query.perPage());
                statement.setLong(next + 1, query.offset());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        items.add(Rows.registration(rows));
                    }
                }
            }
        }
        return new RegistrationPage(query.page(), query.perPage(), total, items);
    }

    /** @return the index of the next parameter */
    private static int bindFilter(PreparedStatement statement, RegistrationQuery query) throws SQLException {
        if (query.filter() == null) {
            return 1;
        }
        statement.setString(1, query.likePattern());
        statement.setString(2, query.word());
        statement.setString(3, query.word());
        return 4;
    }

    /**
     * Nulls (never refreshed) last either way, byte order for text (COLLATE "C", as the full list), with schema and view breaking ties so pages neither skip nor repeat a row.
     */
    private static String orderBy(RegistrationQuery query) {
        String column = switch (query.sort()) {
            case SCHEMA_NAME -> "schema_name COLLATE \"C\"";
            case VIEW_NAME -> "view_name COLLATE \"C\"";
            case REFRESH_MODE -> "refresh_mode COLLATE \"C\"";
            case LAST_REFRESH_STATUS -> "last_refresh_status COLLATE \"C\"";
            case LAST_REFRESH_AT -> "last_refresh_at";
            case LAST_REFRESH_DURATION_MS -> "last_refresh_duration_ms";
            case LAST_SUCCESS_AT -> "last_success_at";
        };
        return column + (query.descending() ? " DESC" : " ASC") + " NULLS LAST"
                + ", schema_name COLLATE \"C\", view_name COLLATE \"C\"";
    }
}
