package dev.ayb.matviews.testkit.reliability;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.reliability.Figures;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After every test: no advisory lock of the library is held in the database, and no connection of the pools
 * the test used carries anything a caller left behind — a changed {@code statement_timeout}, {@code lock_timeout},
 * {@code TimeZone}, {@code search_path} or read-only default, another role, an advisory lock, an open
 * transaction, auto-commit off. The pools are small, and the check borrows every connection of each at once,
 * so no connection escapes it. A connection found dead (its backend was killed) is evicted, not counted: it
 * carries nothing, and the pool replaces it.
 *
 * <pre>{@code
 * @RegisterExtension @Order(1) static final PostgresExtension PG = new PostgresExtension();
 * @RegisterExtension @Order(2) static final PoolHygiene HYGIENE = PoolHygiene.on(PG);
 * }</pre>
 */
public final class PoolHygiene implements AfterEachCallback, AfterAllCallback {
    /**
     * Every advisory lock in the database, the library's refresh and migration locks among them: a test
     * that took one of its own must have released it too (the database extension checks the same).
     */
    private static final String LIBRARY_LOCKS = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    private static final String SESSION_STATE = "SELECT current_setting('statement_timeout'),"
            + " current_setting('lock_timeout'), current_setting('TimeZone'), current_setting('search_path'),"
            + " current_setting('default_transaction_read_only'), current_user = session_user,"
            + " (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()),"
            + " now()::text";
    private static final Duration LOCK_GRACE = Duration.ofSeconds(5);

    /** Opens a plain connection to the database under test. */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final UrlSource url;
    private final List<HikariDataSource> pools = new CopyOnWriteArrayList<>();
    private @Nullable List<String> baseline;

    private PoolHygiene(Connector connector, UrlSource url) {
        this.connector = connector;
        this.url = url;
    }

    /** For a test class's database on the shared server. */
    public static PoolHygiene on(PostgresExtension pg) {
        return new PoolHygiene(pg::connection, () -> new String[] {pg.jdbcUrl(), pg.user(), pg.password()});
    }

    /** For a server the test class starts itself (e.g. to restart it), in its {@code postgres} database. */
    public static PoolHygiene on(Supplier<EmbeddedPostgres> server) {
        return new PoolHygiene(() -> DriverManager.getConnection(server.get().jdbcUrl(), server.get().user(),
                server.get().password()),
                () -> new String[] {server.get().jdbcUrl(), server.get().user(), server.get().password()});
    }

    /** A plain connection to the database under test, for the test's own setup and assertions. */
    public Connection connect() throws SQLException {
        return connector.connect();
    }

    /** A checked pool of {@code size} connections that fails a borrow after ten seconds. */
    public HikariDataSource pool(String name, int size) {
        return pool(name, size, Duration.ofSeconds(10));
    }

    public HikariDataSource pool(String name, int size, Duration connectionTimeout) {
        String[] target = url.get();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(target[0]);
        config.setUsername(target[1]);
        config.setPassword(target[2]);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setPoolName("reliability-" + name);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Leftovers leftovers = leftovers();
        Figures.leaked(leftovers.libraryLocks());
        Figures.dirty(leftovers.dirtyConnections().size());
        if (!leftovers.isEmpty()) {
            throw new AssertionError("after " + context.getDisplayName() + ": " + leftovers);
        }
    }

    /** What is left behind now: library locks held (after a short grace), and dirty pooled connections. */
    public Leftovers leftovers() throws SQLException, InterruptedException {
        return leftovers(LOCK_GRACE);
    }

    /** @param grace how long a lock released by a background thread just now may take to go */
    public Leftovers leftovers(Duration grace) throws SQLException, InterruptedException {
        long locks = libraryLocksAfterGrace(grace);
        List<String> dirty = new ArrayList<>();
        for (HikariDataSource pool : pools) {
            if (!pool.isClosed()) {
                dirty.addAll(dirtyConnections(pool));
            }
        }
        return new Leftovers(locks, List.copyOf(dirty));
    }

    /** @param dirtyConnections one description per pooled connection that carries something */
    public record Leftovers(long libraryLocks, List<String> dirtyConnections) {
        public boolean isEmpty() {
            return libraryLocks == 0 && dirtyConnections.isEmpty();
        }

        @Override
        public String toString() {
            List<String> problems = new ArrayList<>();
            if (libraryLocks > 0) {
                problems.add(libraryLocks + " advisory lock(s) of the library still held");
            }
            problems.addAll(dirtyConnections);
            return String.join("; ", problems);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }

    /** Library advisory locks held now in the database. */
    public long libraryLocks() throws SQLException {
        try (Connection connection = connector.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(LIBRARY_LOCKS)) {
            row.next();
            return row.getLong(1);
        }
    }

    private long libraryLocksAfterGrace(Duration grace) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        long held = libraryLocks();
        while (held > 0 && System.nanoTime() < deadline) {
            Thread.sleep(25);
            held = libraryLocks();
        }
        return held;
    }

    /** Borrows every connection of the pool at once and describes each one that is not as a fresh one. */
    private List<String> dirtyConnections(HikariDataSource pool) throws SQLException {
        List<String> expected = baseline();
        List<String> problems = new ArrayList<>();
        List<Connection> borrowed = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                borrowed.add(pool.getConnection());
            }
            for (Connection connection : borrowed) {
                String problem = inspect(connection, expected);
                if (problem == null) {
                    continue;
                }
                if (problem.startsWith("dead")) {
                    pool.evictConnection(connection);
                    continue;
                }
                problems.add(pool.getPoolName() + ": " + problem);
            }
        } finally {
            for (Connection connection : borrowed) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // Evicted above, or broken: the pool deals with it.
                }
            }
        }
        return problems;
    }

    private static @Nullable String inspect(Connection connection, List<String> expected) {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(SESSION_STATE)) {
            row.next();
            List<String> found = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                found.add(row.getString(i));
            }
            List<String> problems = new ArrayList<>();
            String[] names = {"statement_timeout", "lock_timeout", "TimeZone", "search_path",
                "default_transaction_read_only"};
            for (int i = 0; i < names.length; i++) {
                if (!Objects.equals(found.get(i), expected.get(i))) {
                    problems.add(names[i] + " = " + found.get(i) + " (expected " + expected.get(i) + ")");
                }
            }
            if (!row.getBoolean(6)) {
                problems.add("current_user differs from session_user (a SET ROLE was left behind)");
            }
            if (row.getLong(7) > 0) {
                problems.add(row.getLong(7) + " advisory lock(s) held by the pooled session");
            }
            if (row.getString(8).equals(transactionStart(statement))) {
                // Two statements in auto-commit mode are two transactions; one open transaction gives one now().
                problems.add("a transaction was left open");
            }
            if (!connection.getAutoCommit()) {
                problems.add("auto-commit off");
            }
            if (connection.isReadOnly()) {
                problems.add("read-only");
            }
            return problems.isEmpty() ? null : String.join(", ", problems);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("08") || state.startsWith("57P")) {
                return "dead: " + e.getMessage();
            }
            return "could not be inspected: " + e;
        }
    }

    private static String transactionStart(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("SELECT now()::text")) {
            row.next();
            return row.getString(1);
        }
    }

    private synchronized List<String> baseline() throws SQLException {
        if (baseline == null) {
            try (Connection fresh = connector.connect(); Statement statement = fresh.createStatement();
                 ResultSet row = statement.executeQuery(SESSION_STATE)) {
                row.next();
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    values.add(row.getString(i));
                }
                baseline = List.copyOf(values);
            }
        }
        return baseline;
    }

    @FunctionalInterface
    private interface UrlSource {
        String[] get();
    }
}
