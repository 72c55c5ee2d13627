package dev.ayb.matviews.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link StreamingReplica} of the shared embedded server for one test class, reading the class's
 * {@link PostgresExtension} database as replicated to it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension PG = new PostgresExtension();
 * @RegisterExtension
 * static final ReplicaExtension REPLICA = new ReplicaExtension(PG);
 * }</pre>
 *
 * <p>The replica starts on first use (a couple of seconds) and is closed after the class, so that one class
 * pausing its replay or stopping it affects no other class. Its order against the {@code PostgresExtension}
 * does not matter: a database created on the primary after the replica started is replicated like any write.
 *
 * <p>A replica needs the embedded server (its data directory and binaries on this machine): when the tests use an
 * external server or a container instead, tests that use this are aborted (a counted skip) with a message.
 */
public final class ReplicaExtension implements BeforeAllCallback, AfterAllCallback {

    private static final int DEFAULT_POOL_SIZE = 10;

    private final PostgresExtension database;
    private @Nullable StreamingReplica replica;
    private @Nullable DataSource sharedPool;
    /** How many (outer and {@code @Nested}) classes are running; the replica goes when the outermost ends. */
    private int activeClasses;

    public ReplicaExtension(PostgresExtension database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The replica, started on the first call of a class. */
    public synchronized StreamingReplica replica() {
        if (replica == null) {
            EmbeddedPostgres primary = database.server().orElse(null);
            Assumptions.assumeTrue(primary != null, "A streaming replica needs the embedded server, but the tests"
                    + " use " + database.postgresServer().maintenanceJdbcUrl() + "; skipping (unset "
                    + PostgresServer.URL_VARIABLE + " and keep Testcontainers off the class path to run it)");
            replica = StreamingReplica.startOf(primary);
        }
        return replica;
    }

    /** A pool of up to 10 connections to this class's database on the replica. */
    public synchronized DataSource dataSource() {
        if (sharedPool == null) {
            sharedPool = newDataSource(DEFAULT_POOL_SIZE);
        }
        return sharedPool;
    }

    /** Another pool to this class's database on the replica, closed with it. */
    public synchronized DataSource newDataSource(int maxPoolSize) {
        return replica().dataSource(database.databaseName(), maxPoolSize);
    }

    /** Like {@link #newDataSource(int)}, its connections lent with the given autocommit setting. */
    public synchronized DataSource newDataSource(int maxPoolSize, boolean autoCommit) {
        return replica().dataSource(database.databaseName(), maxPoolSize, autoCommit);
    }

    /** A new plain connection to this class's database on the replica; the caller closes it. */
    public Connection connection() throws SQLException {
        return replica().connect(database.databaseName());
    }

    public String jdbcUrl() {
        return replica().jdbcUrl(database.databaseName());
    }

    /** See {@link StreamingReplica#waitForReplay()}. */
    public void waitForReplay() {
        replica().waitForReplay();
    }

    /** See {@link StreamingReplica#pauseReplay()}. */
    public void pauseReplay() {
        replica().pauseReplay();
    }

    /** See {@link StreamingReplica#resumeReplay()}. */
    public void resumeReplay() {
        replica().resumeReplay();
    }

    /** Stops the replica (an outage); {@link #start()} brings it back. */
    public void stop() {
        replica().stop();
    }

    public void start() {
        replica().start();
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        activeClasses++;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--activeClasses > 0) {
            return;
        }
        if (replica != null) {
            try {
                replica.close();
            } finally {
                replica = null;
                sharedPool = null;
            }
        }
    }
}
