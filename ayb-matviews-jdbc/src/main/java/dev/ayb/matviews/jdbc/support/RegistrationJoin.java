package dev.ayb.matviews.jdbc.support;

import dev.ayb.matviews.jdbc.internal.Rows;
import dev.ayb.matviews.Registration;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A view's registration read as part of another module's query, so that it comes from that query's snapshot
 * rather than from a round trip of its own: the collections module's reads join it into their catalog query.
 * The table's name and columns stay this module's business. Not API.
 */
public final class RegistrationJoin {
    private static final int COLUMN_COUNT = Rows.REGISTRATION_COLUMNS.split(",").length;

    /** The registrations table, quoted once: a read joins it at every request. */
    private final String registrations;

    /** @param schema the library's schema, as {@code AybMatviews.schema()} gives it */
    public RegistrationJoin(String schema) {
        this.registrations = new LibrarySchema(schema).registrations();
    }

    /**
     * A subquery giving the registration of the view named by two SQL expressions of the outer query (its
     * schema and view name columns), for {@code LEFT JOIN LATERAL (...) alias ON true}. It has at most one row
     * (the table's unique key) and the registration's columns under their own names, which {@link #read}
     * reads: the outer query must not select others with those names.
     */
    public String lateralSubquery(String schemaNameSql, String viewNameSql) {
        return "(SELECT " + Rows.REGISTRATION_COLUMNS + " FROM " + registrations
                + " WHERE schema_name = " + schemaNameSql + " AND view_name = " + viewNameSql + ")";
    }

    /** How many columns {@link #lateralSubquery} gives, for a query that must pad another part to its width. */
    public static int columnCount() {
        return COLUMN_COUNT;
    }

    /** The registration in the current row; empty when the join found none. */
    public static Optional<Registration> read(ResultSet row) throws SQLException {
        return row.getObject("id") == null ? Optional.empty() : Optional.of(Rows.registration(row));
    }
}
