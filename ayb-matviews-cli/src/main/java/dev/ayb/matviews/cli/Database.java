package dev.ayb.matviews.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.jdbc.SchemaStatus;
import dev.ayb.matviews.jdbc.support.PgErrors;
import java.sql.SQLException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The library on a small pool, for the length of one command. Two connections are enough: a refresh
 * holds one for its advisory lock while nothing else runs. Closing it closes every connection, so the
 * tool never leaves a session (or a session lock) behind.
 */
final class Database implements AutoCloseable {
    private static final int MAX_CONNECTIONS = 2;
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    /** Shows in pg_stat_activity, so a DBA can tell the tool's sessions from the application's. */
    private static final String APPLICATION_NAME = "ayb-cli";

    private final HikariDataSource pool;
    private final String aybSchema;
    private final ChangeCapture changeCapture;

    private Database(HikariDataSource pool, String aybSchema, ChangeCapture changeCapture) {
        this.pool = pool;
        this.aybSchema = aybSchema;
        this.changeCapture = changeCapture;
    }

    /**
     * Connects; nothing is read or changed yet.
     *
     * @throws CliFailure when PostgreSQL cannot be reached or refuses the login
     */
    static Database open(ConnectionSettings settings) {
        return new Database(connect(settings), settings.aybSchema(), settings.changeCapture());
    }

    /**
     * The library on this pool. With {@code migrate}, its schema is first brought up to date (as the application
     * does on start-up), so the tool works on a database the application has not touched yet; without, nothing
     * is ever created, and a schema that lacks migrations is refused before any command runs on it.
     *
     * @throws CliFailure with {@link ExitCode#SCHEMA_NOT_MIGRATED} when migrations are pending and may not be applied
     */
    AybMatviews library(boolean migrate, RefreshListener listener) {
        AybMatviews.Builder builder = AybMatviews.builder().dataSource(pool).schema(aybSchema).listener(listener)
                .changeCapture(changeCapture);
        if (!migrate) {
            SchemaStatus status = schemaStatus();
            if (!status.upToDate()) {
                throw CliFailure.schemaNotMigrated("schema " + aybSchema + " lacks migrations "
                        + SchemaVersions.list(status.pending()) + " and --no-migrate forbids applying them; run"
                        + " 'ayb migrate' as a role that may create tables in it", null);
            }
            return builder.migrate(false).build();
        }
        try {
            return builder.migrate(true).build();
        } catch (MatviewException e) {
            if (e.sqlState().filter(state -> state.equals(PgErrors.INSUFFICIENT_PRIVILEGE)
                    || state.equals(PgErrors.READ_ONLY_SQL_TRANSACTION)).isPresent()) {
                throw CliFailure.schemaNotMigrated(e.getMessage() + "; run 'ayb migrate' as a role that may create"
                        + " tables in schema " + aybSchema + ", then use --no-migrate with this role", e);
            }
            throw e;
        }
    }

    /** The migrations applied and pending, read without changing anything. */
    SchemaStatus schemaStatus() {
        return SchemaStatus.read(pool, aybSchema);
    }

    @Override
    public void close() {
        pool.close();
    }

    private static HikariDataSource connect(ConnectionSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(APPLICATION_NAME);
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        // The connection made to check the database is reachable is kept for the command's first call.
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            String message = redact("cannot connect to PostgreSQL at " + settings.location() + ": " + reason(e),
                    settings);
            // Unreachable (refused, timed out, starting up) is worth a retry; a refused login is not.
            throw PgErrors.isConnectionFailure(sqlState(e)) ? CliFailure.cannotConnect(message, e)
                    : CliFailure.error(message, e);
        }
    }

    /** Whatever the driver put in its message, no password leaves this process in it. */
    private static String redact(String text, ConnectionSettings settings) {
        String redacted = text;
        for (String secret : settings.secrets()) {
            redacted = redacted.replace(secret, "***");
        }
        return redacted;
    }

    /** The SQLSTATE of the first SQLException in the chain; null when there is none (e.g. a socket error). */
    private static @Nullable String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    /** The driver's first line (e.g. "password authentication failed for user ..."), without Hikari's wrapping. */
    private static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = text.indexOf('\n');
        text = newline >= 0 ? text.substring(0, newline) : text;
        return text.startsWith("FATAL: ") ? text.substring("FATAL: ".length()) : text;
    }
}
