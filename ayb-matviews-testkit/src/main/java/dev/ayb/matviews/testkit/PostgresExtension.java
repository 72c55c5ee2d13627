package dev.ayb.matviews.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test class its own fresh database on the JVM's shared {@link PostgresServer}, so test classes cannot see
 * each other's tables, and drops it afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension PG = new PostgresExtension();
 * }</pre>
 *
 * <p>It must be a {@code static} field: the database lives from before the first test of the class to after the
 * last. {@code @Nested} classes share their outer class's database.
 *
 * <p>After each test it fails the test if any session still holds an advisory lock in the database: code that
 * takes advisory locks must release them, or other application instances wait forever. (The check assumes the
 * tests of one class do not run concurrently.)
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    /**
     * First key of the library's refresh locks, the bytes of "ayb": the jdbc module's
     * {@code AybMatviews.DEFAULT_LOCK_NAMESPACE}, which a test there checks against this one.
     */
    public static final int LIBRARY_LOCK_NAMESPACE = 0x00617962;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresExtension.class);
    private static final int DEFAULT_POOL_SIZE = 10;
    /** Lets a lock released by a background thread just as the test returned count as released. */
    private static final Duration LOCK_RELEASE_GRACE = Duration.ofSeconds(2);
    private static final Duration LOCK_POLL_INTERVAL = Duration.ofMillis(25);
    private static final String ADVISORY_LOCKS_QUERY = "SELECT l.pid, l.classid, l.objid, l.objsubid, l.mode,"
            + " l.granted, a.application_name, a.query"
            + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
            + " WHERE l.locktype = 'advisory'"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " ORDER BY l.pid, l.classid, l.objid, l.objsubid";

    private final List<HikariDataSource> pools = new ArrayList<>();
    private PostgresServer server;
    private @Nullable String databaseName;
    /** The shared pool of each autocommit setting, created on first use. */
    private final Map<Boolean, HikariDataSource> sharedPools = new HashMap<>();
    /** How many (outer and {@code @Nested}) classes are running; the database goes when the outermost ends. */
    private int activeClasses;

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws SQLException {
        if (activeClasses++ > 0) {
            return;
        }
        server = PostgresServer.shared();
        databaseName = "ayb_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try (Connection connection = server.connect(server.maintenanceDatabase());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + databaseName);
        }
        LOG.debug("Created test database {}", databaseName);
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException, InterruptedException {
        List<HeldAdvisoryLock> locks = heldAdvisoryLocks();
        long deadline = System.nanoTime() + LOCK_RELEASE_GRACE.toNanos();
        while (!locks.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(LOCK_POLL_INTERVAL.toMillis());
            locks = heldAdvisoryLocks();
        }
        if (!locks.isEmpty()) {
            StringBuilder message = new StringBuilder("Advisory locks are still held in test database ")
                    .append(databaseName).append(" after the test:");
            locks.forEach(lock -> message.append("\n  ").append(lock));
            throw new AssertionError(message.toString());
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws SQLException {
        if (--activeClasses > 0 || databaseName == null) {
            return;
        }
        try {
            pools.forEach(HikariDataSource::close);
            pools.clear();
            sharedPools.clear();
            dropDatabase();
        } finally {
            databaseName = null;
        }
    }

    /** A pool of up to 10 connections to this class's database, created on first use and closed after the class. */
    public synchronized DataSource dataSource() {
        return dataSource(true);
    }

    /**
     * Like {@link #dataSource()}, its connections lent with the given autocommit setting. {@code false} is how
     * many Spring/JPA applications set up their pool: a write that does not commit itself is rolled back when
     * its connection goes back. Run a test class under both with JUnit's {@code @ParameterizedClass}.
     */
    public synchronized DataSource dataSource(boolean autoCommit) {
        return sharedPools.computeIfAbsent(autoCommit, setting -> newPool(DEFAULT_POOL_SIZE, setting));
    }

    /** Another, independent pool to the same database, e.g. to play a second application instance. */
    public synchronized DataSource newDataSource(int maxPoolSize) {
        return newPool(maxPoolSize, true);
    }

    /** Like {@link #newDataSource(int)}, with the given autocommit setting (see {@link #dataSource(boolean)}). */
    public synchronized DataSource newDataSource(int maxPoolSize, boolean autoCommit) {
        return newPool(maxPoolSize, autoCommit);
    }

    /** A new plain connection to this class's database; the caller closes it. */
    public Connection connection() throws SQLException {
        return postgresServer().connect(databaseName());
    }

    /** The first value of a query's first row as a number (a count, an id...). Unchecked, like {@link #execute}. */
    public long queryLong(String sql) {
        return Long.parseLong(queryString(sql));
    }

    /** The first value of a query's first row as text; null for SQL NULL. */
    public @Nullable String queryString(String sql) {
        try (Connection connection = connection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            if (!row.next()) {
                throw new IllegalStateException("no row from " + sql);
            }
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Refresh locks the library holds right now in this class's database (its two-integer key form). */
    public long libraryLocksHeld() {
        return queryLong("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND classid = " + LIBRARY_LOCK_NAMESPACE + " AND objsubid = 2"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    }

    /**
     * Runs the statements in turn, in autocommit mode, on one new connection that is closed afterwards.
     * Unchecked, so that test setup reads as plain SQL; the failing statement is named in the exception.
     */
    public void execute(String... sql) {
        try (Connection connection = connection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                try {
                    statement.execute(each);
                } catch (SQLException e) {
                    throw new IllegalStateException("SQL failed: " + each + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to " + databaseName(), e);
        }
    }

    public String jdbcUrl() {
        return postgresServer().jdbcUrl(databaseName());
    }

    public String user() {
        return postgresServer().user();
    }

    public String password() {
        return postgresServer().password();
    }

    /** This class's database, {@code ayb_test_<random>}. */
    public synchronized String databaseName() {
        if (databaseName == null) {
            throw new IllegalStateException("No test database: register PostgresExtension as a static field with"
                    + " @RegisterExtension, and use it only while the test class runs");
        }
        return databaseName;
    }

    /** The embedded server when that is what runs, e.g. to stop and restart it; empty for other servers. */
    public Optional<EmbeddedPostgres> server() {
        return postgresServer().embedded();
    }

    /** The shared server this class's database lives on. */
    public synchronized PostgresServer postgresServer() {
        databaseName();
        return server;
    }

    /** The advisory locks any session holds or awaits in this class's database right now. */
    List<HeldAdvisoryLock> heldAdvisoryLocks() throws SQLException {
        List<HeldAdvisoryLock> locks = new ArrayList<>();
        try (Connection connection = connection();
                PreparedStatement statement = connection.prepareStatement(ADVISORY_LOCKS_QUERY);
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                locks.add(new HeldAdvisoryLock(rows.getInt("pid"), rows.getLong("classid"), rows.getLong("objid"),
                        rows.getInt("objsubid"), rows.getString("mode"), rows.getBoolean("granted"),
                        rows.getString("application_name"), rows.getString("query")));
            }
        }
        return locks;
    }

    private HikariDataSource newPool(int maxPoolSize, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setAutoCommit(autoCommit);
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(maxPoolSize);
        // Connections only on demand: many pools across test classes must not exhaust max_connections.
        config.setMinimumIdle(0);
        // A test waiting on a pool whose server is down should fail in seconds, not Hikari's default 30.
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setPoolName(databaseName() + "-pool-" + (pools.size() + 1));
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Sessions the test left open (pools of other code, leaked connections) would make DROP DATABASE fail. */
    private void dropDatabase() throws SQLException {
        try (Connection connection = server.connect(server.maintenanceDatabase())) {
            try (PreparedStatement terminate = connection.prepareStatement("SELECT pg_terminate_backend(pid)"
                    + " FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                terminate.setString(1, databaseName);
                terminate.execute();
            }
            // A logical replication slot (change capture from the WAL) belongs to its database and blocks its drop.
            try (PreparedStatement slots = connection.prepareStatement("SELECT pg_drop_replication_slot(slot_name)"
                    + " FROM pg_replication_slots WHERE database = ? AND NOT active")) {
                slots.setString(1, databaseName);
                slots.execute();
            }
            // FORCE (PostgreSQL 13+) also covers a session that connects between the terminate and the drop.
            boolean force = connection.getMetaData().getDatabaseMajorVersion() >= 13;
            try (Statement drop = connection.createStatement()) {
                drop.execute("DROP DATABASE IF EXISTS " + databaseName + (force ? " WITH (FORCE)" : ""));
            }
        }
        LOG.debug("Dropped test database {}", databaseName);
    }
}
