package dev.ayb.matviews.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.ayb.matviews.jdbc.AybMatviews;
import java.time.Duration;

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
    private final AybMatviews matviews;

    private Database(HikariDataSource pool, AybMatviews matviews) {
        this.pool = pool;
        this.matviews = matviews;
    }

    /**
     * Connects and brings the library's schema up to date (as the application does on start-up), so the
     * tool works on a database the application has not touched yet.
     *
     * @throws CliFailure when PostgreSQL cannot be reached or refuses the login
     */
    static Database open(ConnectionSettings settings) {
        HikariDataSource pool = connect(settings);
        try {
            return new Database(pool, AybMatviews.builder().dataSource(pool).schema(settings.aybSchema()).build());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    AybMatviews matviews() {
        return matviews;
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
            throw CliFailure.error(redact("cannot connect to PostgreSQL at " + settings.location() + ": "
                    + reason(e), settings), e);
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
