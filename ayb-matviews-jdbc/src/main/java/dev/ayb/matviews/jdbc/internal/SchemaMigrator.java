package dev.ayb.matviews.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files shipped in the jar, once each, in one transaction. Several instances
 * starting together serialise on a transaction-level advisory lock, so exactly one of them migrates
 * and the others find the work done.
 */
public final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    static final String PLACEHOLDER = "${ayb_schema}";

    /** Versions in order; the file of each is {@code db/ayb-matviews/V<version>__<description>.sql}. */
    public static final List<Migration> MIGRATIONS = List.of(new Migration(1, "matview_registrations"),
            new Migration(2, "jobs"));

    public record Migration(int version, String description) {
        public String resource() {
            return "db/ayb-matviews/V" + version + "__" + description + ".sql";
        }
    }

    private final DataSource dataSource;
    private final LibrarySchema schema;
    private final int lockNamespace;

    public SchemaMigrator(DataSource dataSource, LibrarySchema schema, int lockNamespace) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.lockNamespace = lockNamespace;
    }

    public void migrate() {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                applyPending(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw PgErrors.database("migrating schema " + schema.name(), e);
        }
    }

    private void applyPending(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // Object id 0 is never a relation's, so this key cannot collide with a view's refresh lock.
            statement.execute("SELECT pg_advisory_xact_lock(" + lockNamespace + ", 0)");
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema.quotedName());
            statement.execute("CREATE TABLE IF NOT EXISTS " + schema.history() + " ("
                    + "version integer PRIMARY KEY, description text NOT NULL, "
                    + "installed_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
        Set<Integer> applied = appliedVersions(connection);
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

    private Set<Integer> appliedVersions(Connection connection) throws SQLException {
        Set<Integer> versions = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM " + schema.history())) {
            while (rows.next()) {
                versions.add(rows.getInt(1));
            }
        }
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

    private static void rollbackQuietly(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }
}
