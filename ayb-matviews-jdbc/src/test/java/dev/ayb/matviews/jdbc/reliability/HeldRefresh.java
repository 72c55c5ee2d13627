package dev.ayb.matviews.jdbc.reliability;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A call held in the middle of a refresh: an outside transaction locks a table the view reads, so the refresh
 * has taken the library's advisory lock and waits inside PostgreSQL until {@link #release()}. A fault can then
 * be injected at a known point, without sleeping on a guess.
 *
 * @param <T> what the call returns
 */
final class HeldRefresh<T> implements AutoCloseable {
    private static final String WAITING = "SELECT pid FROM pg_locks WHERE NOT granted AND locktype = 'relation'"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1";
    private static final String HOLDERS = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND classid = " + AybMatviews.DEFAULT_LOCK_NAMESPACE + " AND objsubid = 2 AND objid <> 0"
            + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private final PoolHygiene.Connector connector;
    private final Connection blocker;
    private final CompletableFuture<T> call;

    private HeldRefresh(PoolHygiene.Connector connector, Connection blocker, CompletableFuture<T> call) {
        this.connector = connector;
        this.blocker = blocker;
        this.call = call;
    }

    /** Starts {@code call} while {@code table} is locked; returns once its refresh holds the lock and waits. */
    static <T> HeldRefresh<T> start(PoolHygiene.Connector connector, String table, Supplier<T> call)
            throws SQLException {
        Connection blocker = connector.connect();
        blocker.setAutoCommit(false);
        try (Statement statement = blocker.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        CompletableFuture<T> running = CompletableFuture.supplyAsync(call);
        HeldRefresh<T> held = new HeldRefresh<>(connector, blocker, running);
        Await.until("the refresh to hold its lock and wait on " + table,
                () -> running.isDone() || (held.query(HOLDERS) > 0 && held.query(WAITING) > 0), Duration.ofSeconds(30));
        return held;
    }

    /** The backend running the held refresh. */
    int refreshingPid() {
        return (int) query(WAITING);
    }

    CompletableFuture<T> future() {
        return call;
    }

    /** Ends the outside transaction, so the refresh goes on (if it still can). */
    void release() {
        try {
            if (!blocker.isClosed()) {
                blocker.commit();
                blocker.close();
            }
        } catch (SQLException e) {
            // The server went away with the blocker (a restart test): nothing is held any more.
            try {
                blocker.close();
            } catch (SQLException ignored) {
                // Already gone.
            }
        }
    }

    /** The call's result, or its failure's cause; fails the test if the call hangs. */
    T result(Duration timeout) throws Throwable {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not return within " + timeout, e);
        }
    }

    @Override
    public void close() {
        release();
        call.handle((ok, failure) -> null).join();
    }

    private long query(String sql) {
        try (Connection connection = connector.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
