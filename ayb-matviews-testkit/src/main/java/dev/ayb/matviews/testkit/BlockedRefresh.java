package dev.ayb.matviews.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A refresh held in the middle: another transaction locks a table the view reads, so the refresh has taken
 * the library's advisory lock and waits inside PostgreSQL until {@link #release()} commits that transaction.
 * Deterministic, with no sleeping on a guess: it returns once PostgreSQL shows both the lock and the wait.
 *
 * @param <T> what the refresh call answers (a result in-process, a reply over HTTP)
 */
public final class BlockedRefresh<T> implements AutoCloseable {
    private static final Duration RESULT_PATIENCE = Duration.ofSeconds(30);
    private static final String WAITING_ON_RELATIONS =
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'relation'";

    private final PostgresExtension pg;
    private final Connection blocker;
    private final CompletableFuture<T> refresh;

    private BlockedRefresh(PostgresExtension pg, Connection blocker, CompletableFuture<T> refresh) {
        this.pg = pg;
        this.blocker = blocker;
        this.refresh = refresh;
    }

    /** Runs the (blocking) refresh call on another thread while {@code table} is locked. */
    public static <T> BlockedRefresh<T> start(PostgresExtension pg, String table, Supplier<T> refresh)
            throws SQLException {
        return startAsync(pg, table, () -> CompletableFuture.supplyAsync(refresh));
    }

    /** Sends an asynchronous refresh (e.g. an HTTP request) while {@code table} is locked. */
    public static <T> BlockedRefresh<T> startAsync(PostgresExtension pg, String table,
                                                   Supplier<CompletableFuture<T>> refresh) throws SQLException {
        Connection blocker = pg.connection();
        blocker.setAutoCommit(false);
        try (Statement statement = blocker.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        long locksBefore = pg.libraryLocksHeld();
        CompletableFuture<T> running = refresh.get();
        Await.until("the refresh to hold its lock and wait on " + table, () -> running.isDone()
                || (pg.libraryLocksHeld() > locksBefore && pg.queryLong(WAITING_ON_RELATIONS) > 0));
        if (running.isDone()) {
            blocker.rollback();
            blocker.close();
            throw new AssertionError("the refresh finished instead of waiting on " + table + ": "
                    + running.handle((answer, failure) -> failure != null ? failure : answer).join());
        }
        return new BlockedRefresh<>(pg, blocker, running);
    }

    /** The backend running the blocked refresh. */
    public int refreshingPid() {
        return (int) pg.queryLong("SELECT pid FROM pg_locks WHERE NOT granted AND locktype = 'relation' LIMIT 1");
    }

    /** Lets the refresh go on. */
    public void release() throws SQLException {
        if (!blocker.isClosed()) {
            blocker.commit();
            blocker.close();
        }
    }

    /** What the refresh answered; its failure as the cause of an {@link ExecutionException}. */
    public T result() throws InterruptedException, ExecutionException, TimeoutException {
        return refresh.get(RESULT_PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws SQLException {
        try {
            release();
        } finally {
            refresh.handle((answer, failure) -> null).join();
        }
    }
}
