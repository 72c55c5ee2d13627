package dev.ayb.matviews.jdbc;

import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A refresh held in the middle: another transaction locks a table the view reads, so the refresh has
 * taken the library's advisory lock and waits inside PostgreSQL until {@link #release()} commits it.
 * Deterministic, with no sleeping on a guess.
 */
final class BlockedRefresh implements AutoCloseable {
    private final PostgresExtension pg;
    private final Connection blocker;
    private final CompletableFuture<RefreshResult> refresh;

    private BlockedRefresh(PostgresExtension pg, Connection blocker, CompletableFuture<RefreshResult> refresh) {
        this.pg = pg;
        this.blocker = blocker;
        this.refresh = refresh;
    }

    /** Starts {@code refresh} while {@code table} is locked, and returns once it is waiting under the lock. */
    static BlockedRefresh start(PostgresExtension pg, String table, Supplier<RefreshResult> refresh) throws SQLException {
        Connection blocker = pg.connection();
        blocker.setAutoCommit(false);
        try (Statement statement = blocker.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        long locksBefore = Db.libraryLocksHeld(pg);
        CompletableFuture<RefreshResult> running = CompletableFuture.supplyAsync(refresh);
        Db.await("the refresh to hold its lock and wait on " + table,
                () -> running.isDone() || (Db.libraryLocksHeld(pg) > locksBefore && waitingBackends(pg) > 0));
        return new BlockedRefresh(pg, blocker, running);
    }

    /** The backend running the blocked refresh. */
    int refreshingPid() {
        return (int) Db.longValue(pg, "SELECT pid FROM pg_locks WHERE NOT granted AND locktype = 'relation' LIMIT 1");
    }

    void release() throws SQLException {
        if (!blocker.isClosed()) {
            blocker.commit();
            blocker.close();
        }
    }

    RefreshResult result() throws InterruptedException, ExecutionException, TimeoutException {
        return refresh.get(10, TimeUnit.SECONDS);
    }

    CompletableFuture<RefreshResult> future() {
        return refresh;
    }

    @Override
    public void close() throws SQLException {
        try {
            release();
        } finally {
            refresh.handle((ok, failure) -> null).join();
        }
    }

    private static long waitingBackends(PostgresExtension pg) {
        return Db.longValue(pg, "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'relation'");
    }
}
