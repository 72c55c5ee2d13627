package dev.ayb.matviews.servlet;

import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An HTTP refresh held in the middle: another transaction locks a table the view reads, so the refresh
 * has taken the library's advisory lock and waits inside PostgreSQL until {@link #release()} commits.
 * Deterministic, with no sleeping on a guess.
 */
final class BlockedRefresh implements AutoCloseable {
    private final Connection blocker;
    private final CompletableFuture<Reply> refresh;

    private BlockedRefresh(Connection blocker, CompletableFuture<Reply> refresh) {
        this.blocker = blocker;
        this.refresh = refresh;
    }

    /** Starts the refresh while {@code table} is locked; returns once it holds its lock and waits on the table. */
    static BlockedRefresh start(PostgresExtension pg, String table, Supplier<CompletableFuture<Reply>> refresh)
            throws SQLException {
        Connection blocker = pg.connection();
        blocker.setAutoCommit(false);
        try (Statement statement = blocker.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        long locksBefore = Db.libraryLocksHeld(pg);
        CompletableFuture<Reply> running = refresh.get();
        Db.await("the refresh to hold its lock and wait on " + table, () -> running.isDone()
                || (Db.libraryLocksHeld(pg) > locksBefore && Db.backendsWaitingOnRelations(pg) > 0));
        if (running.isDone()) {
            blocker.rollback();
            blocker.close();
            throw new AssertionError("the refresh finished instead of waiting on " + table + ": " + running.join());
        }
        return new BlockedRefresh(blocker, running);
    }

    void release() throws SQLException {
        if (!blocker.isClosed()) {
            blocker.commit();
            blocker.close();
        }
    }

    Reply reply() throws Exception {
        return refresh.get(AdminApi.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws SQLException {
        try {
            release();
        } finally {
            refresh.handle((ok, failure) -> null).join();
        }
    }
}
