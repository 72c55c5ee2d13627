package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.SchemaStatus;
import dev.ayb.matviews.jdbc.support.LibrarySchema;

import dev.ayb.matviews.jdbc.support.PgErrors;

import dev.ayb.matviews.jdbc.support.Connections;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files shipped in the jar, once each, in one transaction. Several instances
 * starting together serialise on a transaction-level advisory lock, so exactly one of them migrates
 * and the others find the work done.
 *
 * <p>It first reads {@code schema_history} without any DDL or lock, and goes further only when the database is
 * behind: an instance whose role may read the tables but not create anything (no {@code CREATE} on the
 * database or the schema) starts fine on a database that is up to date. It never touches a database that is
 * ahead of the jar; it refuses to start instead, since this library's SQL would not match the tables.
 */
public final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    static final String PLACEHOLDER = "${ayb_schema}";

    /** Versions in order; the file of each is {@code db/ayb-matviews/V<version>__<description>.sql}. */
    public static final List<Migration> MIGRATIONS = List.of(new Migration(1, "matview_registrations"),
            new Migration(2, "jobs"), new Migration(3, "data_age"),
            new Migration(4, "change_tracking"), new Migration(5, "target_lag"),
            new Migration(6, "swap_mode"));

    public record Migration(int version, String description) {
        public String resource() {
            return "db/ayb-matviews/V" + version + "__" + description + ".sql";
        }
    }

    private static final String RELATIONS_IN_SCHEMA = "SELECT c.relname FROM pg_catalog.pg_class c"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relname = ANY (?)";

    private final DataSource dataSource;
    private final LibrarySchema schema;
    private final int lockNamespace;

    public SchemaMigrator(DataSource dataSource, LibrarySchema schema, int lockNamespace) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.lockNamespace = lockNamespace;
    }

    public void migrate() {
        try {
            boolean upToDate = Connections.withConnection(dataSource, connection -> {
                Set<Integer> applied = appliedVersions(connection);
                refuseNewerDatabase(applied);
                return applied.containsAll(versions());
            });
            if (upToDate) {
                return;
            }
            Connections.inTransaction(dataSource, connection -> {
                applyPending(connection);
                return null;
            });
        } catch (SQLException e) {
            throw PgErrors.database("migrating schema " + schema.name(), e);
        }
    }

    /**
     * For {@code migrate(false)}: fails at once, naming what is missing and how to create it, when the
     * library's tables are not there, instead of failing on the first call.
     */
    public void requireTables() {
        List<String> missing;
        try {
            missing = Connections.withConnection(dataSource, connection -> {
                List<String> absent = new ArrayList<>(LibrarySchema.TABLES);
                absent.removeAll(existing(connection, LibrarySchema.TABLES));
                return absent;
            });
        } catch (SQLException e) {
            throw PgErrors.database("checking the tables of schema " + schema.name(), e);
        }
        if (!missing.isEmpty()) {
            throw new MatviewException(ErrorCode.DATABASE_ERROR, "ayb-matviews tables missing in schema "
                    + schema.name() + ": " + String.join(", ", missing) + "; create them with migrate(true), or run"
                    + " the SQL files in db/ayb-matviews/ of the ayb-matviews-jdbc jar (Flyway, Liquibase)");
        }
    }

    /** What {@code schema_history} lists and what this jar would add; reads only, so any role may ask. */
    public SchemaStatus status() {
        try {
            return Connections.withConnection(dataSource, connection -> {
                List<SchemaStatus.Version> applied = appliedRows(connection);
                Set<Integer> appliedVersions = new HashSet<>();
                applied.forEach(version -> appliedVersions.add(version.version()));
                List<SchemaStatus.Version> pending = new ArrayList<>();
                for (Migration migration : MIGRATIONS) {
                    if (!appliedVersions.contains(migration.version())) {
                        pending.add(new SchemaStatus.Version(migration.version(), migration.description(), null));
                    }
                }
                return new SchemaStatus(schema.name(), applied, pending);
            });
        } catch (SQLException e) {
            throw PgErrors.database("reading the migrations of schema " + schema.name(), e);
        }
    }

    private List<SchemaStatus.Version> appliedRows(Connection connection) throws SQLException {
        List<SchemaStatus.Version> rows = new ArrayList<>();
        if (existing(connection, List.of(LibrarySchema.HISTORY)).isEmpty()) {
            return rows;
        }
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT version, description, installed_at FROM "
                     + schema.history() + " ORDER BY version")) {
            while (result.next()) {
                Timestamp installedAt = result.getTimestamp(3);
                rows.add(new SchemaStatus.Version(result.getInt(1), result.getString(2),
                        installedAt == null ? null : installedAt.toInstant()));
            }
        }
        return rows;
    }

    private void applyPending(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // Object id 0 is never a relation's, so this key cannot collide with a view's refresh lock.
            statement.execute("SELECT pg_advisory_xact_lock(" + lockNamespace + ", 0)");
            // Not CREATE SCHEMA IF NOT EXISTS: PostgreSQL checks the CREATE privilege on the database before it
            // looks whether the schema exists, so a schema made for us by an administrator would still fail.
            if (!schemaExists(connection)) {
                statement.execute("CREATE SCHEMA " + schema.quotedName());
            }
            statement.execute("CREATE TABLE IF NOT EXISTS " + schema.history() + " ("
                    + "version integer PRIMARY KEY, description text NOT NULL, "
                    + "installed_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
        // Read again under the lock: another instance may have migrated since the first look.
        Set<Integer> applied = appliedVersions(connection);
        refuseNewerDatabase(applied);
        for (Migration migration : MIGRATIONS) {
            if (applied.contains(migration.version())) {
                continue;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(script(migration));
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + schema.history() + " (version, description) VALUES (?, ?)")) {
                insert.setInt(1, migration.version());
                insert.setString(2, migration.description());
                insert.executeUpdate();
            }
            LOG.info("Applied ayb-matviews migration V{} ({}) in schema {}", migration.version(),
                    migration.description(), schema.name());
        }
    }

    private boolean schemaExists(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
            statement.setString(1, schema.name());
            try (ResultSet row = statement.executeQuery()) {
                return row.next();
            }
        }
    }

    /** The versions {@code schema_history} lists; none when it does not exist (read from the catalog, no DDL). */
    private Set<Integer> appliedVersions(Connection connection) throws SQLException {
        if (existing(connection, List.of(LibrarySchema.HISTORY)).isEmpty()) {
            return Set.of();
        }
        Set<Integer> versions = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM " + schema.history())) {
            while (rows.next()) {
                versions.add(rows.getInt(1));
            }
        }
        return versions;
    }

    /** Which of the tables exist in the schema; the catalog answers whatever the role's privileges. */
    private List<String> existing(Connection connection, List<String> tables) throws SQLException {
        List<String> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(RELATIONS_IN_SCHEMA)) {
            statement.setString(1, schema.name());
            statement.setArray(2, connection.createArrayOf("text", tables.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
        }
        return found;
    }

    private static void refuseNewerDatabase(Set<Integer> applied) {
        int newestKnown = MIGRATIONS.get(MIGRATIONS.size() - 1).version();
        int newestApplied = applied.isEmpty() ? 0 : Collections.max(applied);
        if (newestApplied > newestKnown) {
            throw new MatviewException(ErrorCode.DATABASE_ERROR, "database schema is newer than this library: V"
                    + newestApplied + " > V" + newestKnown);
        }
    }

    private static Set<Integer> versions() {
        Set<Integer> versions = new HashSet<>();
        MIGRATIONS.forEach(migration -> versions.add(migration.version()));
        return versions;
    }

    private String script(Migration migration) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(migration.resource())) {
            if (in == null) {
                throw new IllegalStateException("migration missing from the jar: " + migration.resource());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(PLACEHOLDER, schema.quotedName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
