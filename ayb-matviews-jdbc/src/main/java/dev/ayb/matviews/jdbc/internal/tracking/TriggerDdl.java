package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.MessageText;
import dev.ayb.matviews.jdbc.support.PgErrors;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Installs and removes the library's statement-level trigger ({@code AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
 * ... FOR EACH STATEMENT}): the only DDL change tracking runs on the host's tables. Statement-level, so a write of
 * many rows costs one marker. Runs on the caller's connection, inside the caller's transaction: a failure leaves
 * nothing half installed. Table names come from the catalog, are validated and quoted.
 */
final class TriggerDdl {
    private final LibrarySchema schema;
    private final TrackingSql sql;

    TriggerDdl(LibrarySchema schema, TrackingSql sql) {
        this.schema = schema;
        this.sql = sql;
    }

    /**
     * Creates the trigger on each of {@code tables}, which the caller found not captured ({@link #captured}); one with
     * the trigger disabled is refused by name clash.
     */
    void install(Connection connection, Collection<TrackedRelation> tables) throws SQLException {
        for (TrackedRelation table : tables) {
            QualifiedName name = new QualifiedName(table.schemaName(), table.relationName());
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TRIGGER " + TrackingSql.TRIGGER_NAME
                        + " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON " + name.quoted()
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + schema.changeFunction());
            } catch (SQLException e) {
                throw denied(e, "installing the change-tracking trigger on " + name
                        + " needs the TRIGGER privilege on the table (GRANT TRIGGER ON " + name.quoted() + " TO ...)");
            }
        }
    }

    /** Drops the trigger from the tables of these ids that still exist; a missing one is nothing to do. */
    void remove(Connection connection, Collection<Long> relids) throws SQLException {
        for (QualifiedName table : namesWhere(connection, relids, sql.hasTrigger("c.oid"))) {
            drop(connection, table);
        }
    }

    /**
     * The names of the relations of these ids that exist and meet {@code condition} (SQL over {@code pg_class} as
     * {@code c}), in oid order: the tables a removal acts on, read before any is changed.
     */
    static List<QualifiedName> namesWhere(Connection connection, Collection<Long> relids, String condition)
            throws SQLException {
        List<QualifiedName> names = new ArrayList<>();
        if (relids.isEmpty()) {
            return names;
        }
        String query = "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = ANY (?::oid[]) AND " + condition + " ORDER BY c.oid";
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setArray(1, oids(connection, relids));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(new QualifiedName(rows.getString(1), rows.getString(2)));
                }
            }
        }
        return names;
    }

    private static void drop(Connection connection, QualifiedName table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TRIGGER IF EXISTS " + TrackingSql.TRIGGER_NAME + " ON " + table.quoted());
        } catch (SQLException e) {
            throw denied(e, "removing the change-tracking trigger from " + table
                    + " needs ownership of the table (PostgreSQL lets only the owner drop a trigger)");
        }
    }

    /** The ids of those of {@code tables} whose writes are captured now, by a trigger or from the WAL. */
    Set<Long> captured(Connection connection, Collection<TrackedRelation> tables) throws SQLException {
        Set<Long> covered = new HashSet<>();
        if (tables.isEmpty()) {
            return covered;
        }
        String query = "SELECT c.oid FROM pg_catalog.pg_class c WHERE c.oid = ANY (?::oid[]) AND "
                + sql.captured("c.oid");
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setArray(1, oids(connection, tables.stream().map(TrackedRelation::relid).toList()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    covered.add(rows.getLong(1));
                }
            }
        }
        return covered;
    }

    static Array oids(Connection connection, Collection<Long> relids) throws SQLException {
        return connection.createArrayOf("int8", relids.toArray());
    }

    /** A missing privilege is the caller's to fix, and the message says which one PostgreSQL requires. */
    static SQLException denied(SQLException e, String what) {
        if (PgErrors.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
            throw new MatviewException(ErrorCode.TRACKING_PERMISSION_DENIED, MessageText.printable(what + ": "
                    + PgErrors.serverMessage(e)), null, e.getSQLState(), e);
        }
        return e;
    }
}
