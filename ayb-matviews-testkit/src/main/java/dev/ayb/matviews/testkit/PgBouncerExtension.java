package dev.ayb.matviews.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link PgBouncer} in front of a {@link PostgresExtension}'s database, fresh for each test: no server
 * connection, no session state and no lock carries over from one test to the next.
 *
 * <pre>{@code
 * @RegisterExtension
 * @Order(1)
 * static final PostgresExtension PG = new PostgresExtension();
 * @RegisterExtension
 * @Order(2)
 * static final PgBouncerExtension BOUNCER = PgBouncerExtension.transactionPooling(PG, 2);
 * }</pre>
 *
 * <p>Register it after the {@code PostgresExtension}: after-each callbacks run in reverse order, so PgBouncer is
 * stopped (ending its server connections, and whatever session locks a test left on them) before the database's
 * advisory-lock check runs. A test that means to prove no lock was left must therefore check that itself,
 * through {@link PostgresExtension#libraryLocksHeld()}, before it returns.
 *
 * <p>PgBouncer starts on the first {@link #dataSource} or {@link #connection()} of a test, which first
 * {@linkplain RequiredTool#require() requires} the binary: a missing one fails the test under CI, and skips it
 * (counted) elsewhere.
 */
public final class PgBouncerExtension implements AfterEachCallback {
    private final PostgresExtension database;
    private final PgBouncer.PoolMode mode;
    private final int poolSize;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private @Nullable PgBouncer bouncer;

    private PgBouncerExtension(PostgresExtension database, PgBouncer.PoolMode mode, int poolSize) {
        this.database = Objects.requireNonNull(database, "database");
        this.mode = Objects.requireNonNull(mode, "mode");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        }
        this.poolSize = poolSize;
    }

    /**
     * Transaction pooling, as most PgBouncer deployments run it.
     *
     * @param poolSize server connections to the database; small, so that clients really share backends
     */
    public static PgBouncerExtension transactionPooling(PostgresExtension database, int poolSize) {
        return new PgBouncerExtension(database, PgBouncer.PoolMode.TRANSACTION, poolSize);
    }

    /** Session pooling: a client keeps its server connection until it disconnects. */
    public static PgBouncerExtension sessionPooling(PostgresExtension database, int poolSize) {
        return new PgBouncerExtension(database, PgBouncer.PoolMode.SESSION, poolSize);
    }

    /**
     * A HikariCP pool of up to {@code maxPoolSize} client connections through the proxy (to PgBouncer, not to
     * the server: many clients share {@code poolSize} backends). Closed after the test.
     */
    public synchronized DataSource dataSource(String name, int maxPoolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(database.user());
        config.setPassword(database.password());
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setPoolName(database.databaseName() + "-pgbouncer-" + name);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** A new plain connection through the proxy; the caller closes it. */
    public Connection connection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), database.user(), database.password());
    }

    /** The URL of the test database through the proxy (PgBouncer starts if it has not yet). */
    public synchronized String jdbcUrl() {
        if (bouncer == null) {
            PgBouncer.TOOL.require();
            bouncer = PgBouncer.start(database.postgresServer(), mode, poolSize);
        }
        return bouncer.jdbcUrl(database.databaseName());
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        try {
            pools.forEach(HikariDataSource::close);
        } finally {
            pools.clear();
            if (bouncer != null) {
                bouncer.close();
                bouncer = null;
            }
        }
    }
}
