package dev.ayb.matviews.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hot standby of an {@link EmbeddedPostgres}: a second server, from the same binaries, that streams the
 * primary's WAL and answers read-only queries, as the read replicas of a real deployment do.
 *
 * <p>It starts from a base backup of the running primary (its data directory copied under
 * {@code pg_backup_start}/{@code pg_backup_stop}), with {@code standby.signal} and a {@code primary_conninfo} to
 * the primary, and a physical replication slot on the primary so that WAL the standby has not received yet is
 * kept while it is stopped. The embedded primary needs nothing special: {@code wal_level} (logical, which includes
 * replica), {@code max_wal_senders} and a trusted {@code replication} entry for loopback are what the suite's
 * settings and {@code initdb} set up.
 * Root-safe the same way as the primary.
 *
 * <pre>{@code
 * try (StreamingReplica replica = StreamingReplica.startOf(primary)) {
 *     // write on the primary...
 *     replica.waitForReplay();
 *     // ...and read it here: replica.jdbcUrl(database)
 * }
 * }</pre>
 *
 * <p>{@link #stop()} and {@link #start()} may alternate, as for the primary; {@link #close()} stops it for good,
 * closes its pools, deletes its data directory and drops its slot on the primary.
 */
public final class StreamingReplica implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingReplica.class);
    private static final Duration DEFAULT_REPLAY_PATIENCE = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);
    private static final Duration SLOT_RELEASE_PATIENCE = Duration.ofSeconds(10);

    private final EmbeddedPostgres primary;
    private final EmbeddedPostgres standby;
    private final String slotName;
    private final List<HikariDataSource> pools = new ArrayList<>();
    private boolean closed;

    private StreamingReplica(EmbeddedPostgres primary, EmbeddedPostgres standby, String slotName) {
        this.primary = primary;
        this.standby = standby;
        this.slotName = slotName;
    }

    /**
     * Takes a base backup of the running {@code primary} and starts a standby from it on a free port; returns once
     * the standby accepts read-only connections and has replayed everything the primary had written.
     *
     * @throws IllegalStateException if the primary is not running, or the standby did not start (with its log)
     */
    public static StreamingReplica startOf(EmbeddedPostgres primary) {
        Objects.requireNonNull(primary, "primary");
        if (!primary.isRunning()) {
            throw new IllegalStateException("The primary must be running to take a base backup of it");
        }
        long startNanos = System.nanoTime();
        String slotName = "ayb_replica_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        @Nullable Path dataDirectory = null;
        try (Connection connection = connectTo(primary, primary.jdbcUrl())) {
            createSlot(connection, slotName);
            try {
                dataDirectory = Files.createTempDirectory("ayb-postgres-replica-");
                BaseBackup.copy(connection, primary.dataDirectory(), dataDirectory);
                Files.createFile(dataDirectory.resolve("standby.signal"));
            } catch (IOException | SQLException | RuntimeException e) {
                dropSlotQuietly(connection, slotName);
                deleteQuietly(dataDirectory);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare a replica of " + primary.jdbcUrl(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not take a base backup of " + primary.jdbcUrl(), e);
        }
        EmbeddedPostgres standby = EmbeddedPostgres.builder()
                .settings(primary.settings())
                .ownedDataDirectory(dataDirectory)
                .unprivilegedUser(primary.unprivilegedUser())
                .setting("primary_conninfo", primaryConninfo(primary, slotName))
                .setting("primary_slot_name", slotName)
                .setting("hot_standby", "on")
                .build();
        StreamingReplica replica = new StreamingReplica(primary, standby, slotName);
        try {
            standby.start();
            replica.waitForReplay();
        } catch (RuntimeException e) {
            try {
                replica.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        LOG.info("Streaming replica of port {} ready on port {} in {} ms", primary.port(), standby.port(),
                (System.nanoTime() - startNanos) / 1_000_000);
        return replica;
    }

    /** Starts it again after {@link #stop()}; it catches up from its slot, and this returns once it has. */
    public synchronized StreamingReplica start() {
        if (closed) {
            throw new IllegalStateException("This replica was closed; start a new one");
        }
        standby.start();
        waitForReplay();
        return this;
    }

    /** Stops the standby (fast shutdown, cutting its sessions off, as in an outage); its data stays. */
    public synchronized void stop() {
        standby.stop();
        // Its pools' connections were cut; a pool hands out an idle connection unchecked if it was used within
        // the last half second, which would fail the first read after start() for no reason of the test's.
        pools.forEach(pool -> pool.getHikariPoolMXBean().softEvictConnections());
    }

    public boolean isRunning() {
        return standby.isRunning();
    }

    /** Stops it, closes its pools, deletes its data directory and drops its slot. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pools.forEach(HikariDataSource::close);
            pools.clear();
            standby.close();
        } finally {
            dropSlot();
        }
    }

    public int port() {
        return standby.port();
    }

    /** {@code jdbc:postgresql://localhost:<port>/postgres} on the standby. */
    public String jdbcUrl() {
        return standby.jdbcUrl();
    }

    /** A database of the primary, as replicated to the standby. */
    public String jdbcUrl(String database) {
        return standby.jdbcUrl(database);
    }

    /** The primary's superuser, the only user (users are replicated too). */
    public String user() {
        return standby.user();
    }

    public String password() {
        return standby.password();
    }

    /** A new connection to {@code database} on the standby; the caller closes it. Writes fail: it is read-only. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }

    /** A pool of up to {@code maxPoolSize} connections to {@code database} on the standby, closed with it. */
    public synchronized DataSource dataSource(String database, int maxPoolSize) {
        return dataSource(database, maxPoolSize, true);
    }

    /** Like {@link #dataSource(String, int)}, its connections lent with the given autocommit setting. */
    public synchronized DataSource dataSource(String database, int maxPoolSize, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setAutoCommit(autoCommit);
        config.setJdbcUrl(jdbcUrl(database));
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(0);
        // A read aimed at a stopped replica should fail in seconds: tests of fallback do exactly that.
        config.setConnectionTimeout(Duration.ofSeconds(2).toMillis());
        config.setPoolName(database + "-replica-" + (pools.size() + 1));
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** The standby as a server, e.g. for its {@link EmbeddedPostgres#logFile() log}. */
    public EmbeddedPostgres server() {
        return standby;
    }

    /**
     * Pauses WAL replay ({@code pg_wal_replay_pause()}) and returns once it is paused: from then on the standby
     * answers with the data it had, however far the primary moves on, the way a lagging replica does. WAL is
     * still received, so {@link #resumeReplay()} catches up at once.
     */
    public void pauseReplay() {
        execute("SELECT pg_wal_replay_pause()");
        awaitCondition("replay to pause", "SELECT pg_get_wal_replay_pause_state() = 'paused'",
                DEFAULT_REPLAY_PATIENCE);
    }

    /** Resumes WAL replay after {@link #pauseReplay()}; {@link #waitForReplay()} then waits for it to catch up. */
    public void resumeReplay() {
        execute("SELECT pg_wal_replay_resume()");
    }

    public boolean isReplayPaused() {
        return queryBoolean("SELECT pg_get_wal_replay_pause_state() <> 'not paused'");
    }

    /** Waits (up to 30 seconds) until the standby has replayed everything committed on the primary so far. */
    public void waitForReplay() {
        waitForReplay(DEFAULT_REPLAY_PATIENCE);
    }

    /**
     * Waits until the standby's replay position reaches the primary's WAL position as of this call: every
     * transaction committed on the primary before the call is then visible on the standby.
     *
     * @throws IllegalStateException if replay is paused (it would never catch up), or on time-out
     */
    public void waitForReplay(Duration patience) {
        if (isReplayPaused()) {
            throw new IllegalStateException("Replay is paused on the replica; resumeReplay() first");
        }
        String target = primaryFlushedLsn();
        awaitCondition("replay to reach " + target, "SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn",
                patience);
    }

    /**
     * The primary's WAL position, flushed: the embedded server commits asynchronously, so a commit may still sit
     * in WAL buffers, not sent to any standby yet. A synchronous commit of our own flushes it all.
     */
    private String primaryFlushedLsn() {
        try (Connection connection = connectTo(primary, primary.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit = on");
            // A transaction that wrote WAL commits synchronously (one that wrote none would not wait for the
            // flush); a logical message is the smallest write there is, and touches no table.
            statement.execute("SELECT pg_logical_emit_message(true, 'ayb-matviews-testkit', '')");
            try (ResultSet row = statement.executeQuery("SELECT pg_current_wal_flush_lsn()::text")) {
                row.next();
                return row.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the primary's WAL position", e);
        }
    }

    private void awaitCondition(String what, String sql, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!queryBoolean(sql)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + patience + " waiting for " + what
                        + " on the replica (log: " + standby.logFile() + ")");
            }
            sleep(POLL_INTERVAL);
        }
    }

    private boolean queryBoolean(String sql) {
        try (Connection connection = connectTo(standby, standby.jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Query on the replica failed: " + sql, e);
        }
    }

    private void execute(String sql) {
        try (Connection connection = connectTo(standby, standby.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Statement on the replica failed: " + sql, e);
        }
    }

    /** The walsender of a just-stopped standby may hold the slot for a moment; a stopped primary keeps it. */
    private void dropSlot() {
        if (!primary.isRunning()) {
            LOG.warn("The primary is not running; replication slot {} stays on it", slotName);
            return;
        }
        long deadline = System.nanoTime() + SLOT_RELEASE_PATIENCE.toNanos();
        try (Connection connection = connectTo(primary, primary.jdbcUrl());
                PreparedStatement active = connection.prepareStatement(
                        "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
            active.setString(1, slotName);
            while (true) {
                try (ResultSet row = active.executeQuery()) {
                    if (!row.next()) {
                        return;
                    }
                    if (!row.getBoolean(1) || System.nanoTime() > deadline) {
                        break;
                    }
                }
                sleep(POLL_INTERVAL);
            }
            try (PreparedStatement drop = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
                drop.setString(1, slotName);
                drop.execute();
            }
        } catch (SQLException e) {
            LOG.warn("Could not drop replication slot {} on the primary", slotName, e);
        }
    }

    private static void createSlot(Connection connection, String slotName) throws SQLException {
        // Reserved now, so WAL from before the backup's checkpoint on is kept until the standby has it.
        try (PreparedStatement create = connection.prepareStatement(
                "SELECT pg_create_physical_replication_slot(?, true)")) {
            create.setString(1, slotName);
            create.execute();
        }
    }

    private static void dropSlotQuietly(Connection connection, String slotName) {
        try (PreparedStatement drop = connection.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            drop.setString(1, slotName);
            drop.execute();
        } catch (SQLException ignored) {
            // The backup's own failure is the one to report.
        }
    }

    /** libpq's connection string, values single-quoted; the embedded server's are plain, but quoting costs nothing. */
    private static String primaryConninfo(EmbeddedPostgres primary, String slotName) {
        return "host=localhost port=" + primary.port() + " user=" + libpqQuoted(primary.user())
                + " password=" + libpqQuoted(primary.password()) + " application_name=" + slotName;
    }

    private static String libpqQuoted(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static Connection connectTo(EmbeddedPostgres server, String url) throws SQLException {
        return DriverManager.getConnection(url, server.user(), server.password());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting on the replica", e);
        }
    }

    private static void deleteQuietly(@Nullable Path directory) {
        if (directory == null) {
            return;
        }
        try {
            Directories.deleteRecursively(directory);
        } catch (IOException e) {
            LOG.warn("Could not delete the replica's data directory {}", directory, e);
        }
    }
}
