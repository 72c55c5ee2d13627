package dev.ayb.matviews.jdbc.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Borrowing a connection for one unit of work, and giving it back so that the pool stays clean.
 *
 * <p>The library never assumes how the host's pool is set up: with {@code autoCommit=false} (the default
 * of many Spring/JPA setups) a statement opens a transaction that nothing commits, and the pool rolls it
 * back when the connection comes back, so a write "succeeds" and is lost. Every borrowed connection
 * therefore goes through {@link #withConnection} or {@link #inTransaction}: each commits what it did, whatever
 * the pool's setting, rolls back on failure, and returns the connection with its autocommit as it was and
 * no transaction open. (A refresh, which holds an advisory lock, manages its own connection.)
 */
public final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private Connections() {
    }

    /** Work on a borrowed connection; it may return null, as work done only for its effect does. */
    @FunctionalInterface
    public interface Work<T extends @Nullable Object> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs statements that each stand alone (reads, and writes of one statement) and commits them. Under
     * autocommit each statement committed itself, so this costs nothing more; otherwise the commit also ends
     * the transaction a read opened.
     */
    public static <T extends @Nullable Object> T withConnection(DataSource dataSource, Work<T> work)
            throws SQLException {
        return borrow(dataSource, work, false);
    }

    /** Runs several statements as one transaction that commits, or rolls back as a whole if any fails. */
    public static <T extends @Nullable Object> T inTransaction(DataSource dataSource, Work<T> work)
            throws SQLException {
        return borrow(dataSource, work, true);
    }

    private static <T extends @Nullable Object> T borrow(DataSource dataSource, Work<T> work, boolean atomic)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean originalAutoCommit = connection.getAutoCommit();
            boolean switched = atomic && originalAutoCommit;
            if (switched) {
                connection.setAutoCommit(false);
            }
            T result;
            try {
                result = work.run(connection);
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
            } catch (SQLException | RuntimeException | Error failure) {
                rollbackAfter(connection, failure);
                restoreAfter(connection, switched, failure);
                throw failure;
            }
            if (switched) {
                connection.setAutoCommit(true);
            }
            return result;
        }
    }

    /** A connection whose transaction cannot be confirmed over is ended, so no transaction goes back to the pool. */
    private static void rollbackAfter(Connection connection, Throwable failure) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException | RuntimeException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
            discard(connection, "Closing a database connection whose transaction could not be rolled back",
                    rollbackFailure);
        }
    }

    private static void restoreAfter(Connection connection, boolean switched, Throwable failure) {
        if (!switched || isClosed(connection)) {
            return;
        }
        try {
            connection.setAutoCommit(true);
        } catch (SQLException | RuntimeException restoreFailure) {
            failure.addSuppressed(restoreFailure);
            discard(connection, "Closing a database connection whose autocommit could not be restored",
                    restoreFailure);
        }
    }

    /**
     * Ends the physical connection instead of returning it healthy. Used when we cannot confirm that a
     * session advisory lock or a session setting was undone: PostgreSQL releases a session's locks and
     * settings when the session ends, so killing it is the one sure way not to leak them into the pool.
     */
    public static void abandon(Connection connection, Throwable reason) {
        discard(connection, "Closing a database connection whose lock release could not be confirmed", reason);
    }

    /**
     * Ends the physical connection instead of returning it, for a session state other than a lock that could not
     * be undone (e.g. a {@code LISTEN}); {@code why} is logged with the reason.
     */
    public static void abandon(Connection connection, String why, Throwable reason) {
        discard(connection, why, reason);
    }

    private static void discard(Connection connection, String why, Throwable reason) {
        LOG.warn(why, reason);
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("abort() failed; closing instead", e);
        }
        try {
            // Pools such as HikariCP evict a connection when a "connection closed" error (SQLSTATE 08003)
            // passes through it; without this, the aborted connection could be lent out once more.
            connection.createStatement().close();
        } catch (SQLException | RuntimeException expected) {
            LOG.trace("Aborted connection reported closed, as intended", expected);
        }
        closeQuietly(connection);
    }

    /**
     * Runs work as one transaction of its own on a connection already held (several in a row on one session, such
     * as the one that holds a lock), committed, or rolled back as a whole if it fails; the connection's autocommit
     * is as it was after. Under autocommit off, whatever the connection's transaction held before is part of it.
     */
    public static <T extends @Nullable Object> T inOwnTransaction(Connection connection, Work<T> work)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        if (autoCommit) {
            connection.setAutoCommit(false);
        }
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException failure) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        } finally {
            if (autoCommit && !isClosed(connection)) {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * Runs work inside the connection's open transaction as a savepoint: a failure undoes only the work, and the
     * transaction (and what it holds, such as a transaction-level advisory lock) carries on for the caller.
     */
    public static <T extends @Nullable Object> T inSavepoint(Connection connection, Work<T> work)
            throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            T result = work.run(connection);
            connection.releaseSavepoint(savepoint);
            return result;
        } catch (SQLException | RuntimeException failure) {
            try {
                connection.rollback(savepoint);
            } catch (SQLException rollbackFailure) {
                failure.addSuppressed(rollbackFailure);
            }
            throw failure;
        }
    }

    /** Whether the connection was closed (a connection that cannot tell counts as open). */
    public static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    public static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing a connection failed", e);
        }
    }
}
