package dev.ayb.matviews.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import dev.ayb.matviews.testkit.StreamingReplica;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What every benchmark shares: the PostgreSQL server, pools and connections to it, and the resources a
 * benchmark opens, closed when it ends (in reverse order) so that one benchmark's pools and threads never
 * run during the next one.
 */
final class BenchmarkContext implements AutoCloseable {
    /** Schema of the benchmark's own tables and views; the library keeps its tables in {@code ayb}. */
    static final String SCHEMA = "bench";

    private final EmbeddedPostgres postgres;
    private final PrintStream out;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    BenchmarkContext(EmbeddedPostgres postgres, PrintStream out) {
        this.postgres = postgres;
        this.out = out;
    }

    /** A pool as an application would configure one; timed figures use these. */
    HikariDataSource pool(String name, int size) {
        HikariConfig config = baseConfig(name, size);
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        return closeAtEnd(new HikariDataSource(config));
    }

    /** A pool whose connections are counted by {@code counter} (which must come from {@link #counter()}). */
    HikariDataSource pool(String name, int size, RecordingDataSource counter) {
        HikariConfig config = baseConfig(name, size);
        config.setDataSource(counter);
        return closeAtEnd(new HikariDataSource(config));
    }

    /** A hot standby of the benchmark's server, started now (a base backup: seconds), stopped at the end. */
    StreamingReplica replica() {
        return closeAtEnd(StreamingReplica.startOf(postgres));
    }

    /** A pool on the replica, configured as {@link #pool(String, int)}'s. */
    HikariDataSource pool(String name, int size, StreamingReplica replica) {
        HikariConfig config = baseConfig(name, size);
        config.setJdbcUrl(replica.jdbcUrl());
        config.setUsername(replica.user());
        config.setPassword(replica.password());
        return closeAtEnd(new HikariDataSource(config));
    }

    RecordingDataSource counter() {
        return new RecordingDataSource(driverDataSource());
    }

    /** The library on {@code dataSource}; its tables are migrated by the first one built. */
    AybMatviews matviews(DataSource dataSource) {
        return matviews(dataSource, ChangeCapture.TRIGGERS);
    }

    /** The library on {@code dataSource}, capturing the writes of tables it starts tracking as {@code capture} says. */
    AybMatviews matviews(DataSource dataSource, ChangeCapture capture) {
        return AybMatviews.builder().dataSource(dataSource).changeCapture(capture).build();
    }

    /** A connection of its own, outside any pool (a lock holder, a setup session); closed at the end. */
    Connection connection() throws SQLException {
        return closeAtEnd(DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password()));
    }

    /** Runs setup statements on a short-lived connection. */
    void execute(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                postgres.password()); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    long queryLong(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                postgres.password()); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    String queryString(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(),
                postgres.password()); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    /** A progress line, so a person watching knows which phase is running. */
    /** Where the suite prints, for a context of a second server that reports to the same place. */
    PrintStream out() {
        return out;
    }

    void progress(String message) {
        out.println("  " + message);
        out.flush();
    }

    <T extends AutoCloseable> T closeAtEnd(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes what the benchmark opened, newest first; a failure to close is reported, not thrown. */
    void closeOpened() {
        while (!opened.isEmpty()) {
            AutoCloseable resource = opened.pop();
            try {
                resource.close();
            } catch (Exception e) {
                out.println("  (closing " + resource.getClass().getSimpleName() + " failed: " + e.getMessage() + ")");
            }
        }
    }

    @Override
    public void close() {
        closeOpened();
    }

    private DataSource driverDataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(postgres.jdbcUrl());
        dataSource.setUser(postgres.user());
        dataSource.setPassword(postgres.password());
        return dataSource;
    }

    private static HikariConfig baseConfig(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return config;
    }
}
