package dev.ayb.matviews.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ways of giving a connection back that keep the pool clean. */
final class Connections {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private Connections() {
    }

    /**
     * Ends the physical connection instead of returning it healthy. Used when we cannot confirm that a
     * session advisory lock or a session setting was undone: PostgreSQL releases a session's locks and
     * settings when the session ends, so killing it is the one sure way not to leak them into the pool.
     */
    static void abandon(Connection connection, Throwable reason) {
        LOG.warn("Closing a database connection whose lock release could not be confirmed", reason);
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

    /** Whether the connection was closed (a connection that cannot tell counts as open). */
    static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Closing a connection failed", e);
        }
    }
}
