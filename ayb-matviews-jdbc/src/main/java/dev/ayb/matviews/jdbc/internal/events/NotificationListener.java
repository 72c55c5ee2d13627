package dev.ayb.matviews.jdbc.internal.events;

import dev.ayb.matviews.jdbc.internal.EventChannel;
import dev.ayb.matviews.jdbc.support.Connections;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * One connection that {@code LISTEN}s on the event channel and waits for notifications. The adapter does not
 * require the PostgreSQL driver (it speaks plain JDBC), so the driver's {@code PGConnection.getNotifications}
 * is reached by reflection; a connection that is not the driver's cannot listen, and the hub polls instead.
 */
final class NotificationListener implements AutoCloseable {
    private static final String PG_CONNECTION = "org.postgresql.PGConnection";

    private final Connection connection;
    private final Object pgConnection;
    private final Method getNotifications;
    private final Method parameter;

    private NotificationListener(Connection connection, Object pgConnection, Method getNotifications,
                                 Method parameter) {
        this.connection = connection;
        this.pgConnection = pgConnection;
        this.getNotifications = getNotifications;
        this.parameter = parameter;
    }

    /** Borrows a connection from {@code dataSource} and listens on it; the connection is held until closed. */
    static NotificationListener open(DataSource dataSource) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            Class<?> type = Class.forName(PG_CONNECTION, false, connection.getClass().getClassLoader());
            Object pg = connection.unwrap(type);
            Method get = type.getMethod("getNotifications", int.class);
            Method parameter = Class.forName("org.postgresql.PGNotification", false, type.getClassLoader())
                    .getMethod("getParameter");
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + EventChannel.NAME);
            }
            commitIfNeeded(connection);
            return new NotificationListener(connection, pg, get, parameter);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            Connections.closeQuietly(connection);
            throw new SQLException("the connection is not PostgreSQL's driver's, so it cannot LISTEN", e);
        } catch (SQLException | RuntimeException e) {
            Connections.closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Whether notifications sent elsewhere reach this connection: a probe is announced on another connection of
     * {@code senders} and waited for here, as a refresh recorded by another instance would be. (A session always
     * hears its own notifications, so this connection cannot probe itself.) Behind a transaction-pooling proxy
     * the {@code LISTEN} was accepted by a server connection that this client no longer holds, so the probe
     * never comes back.
     */
    boolean probe(DataSource senders, Duration wait) throws SQLException {
        String probe = "probe:" + UUID.randomUUID();
        Connections.withConnection(senders, sender -> {
            try (PreparedStatement statement = sender.prepareStatement("SELECT pg_catalog.pg_notify(?, ?)")) {
                statement.setString(1, EventChannel.NAME);
                statement.setString(2, probe);
                statement.execute();
            }
            return null;
        });
        long deadline = System.nanoTime() + wait.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            for (Object notification : notifications(Math.max(1, (int) (left / 1_000_000)))) {
                if (probe.equals(invoke(parameter, notification))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Waits for a notification, at most {@code wait}.
     *
     * @return whether one (or more) arrived
     * @throws SQLException when the connection failed: the caller reconnects and catches up from the history
     */
    boolean await(Duration wait) throws SQLException {
        return notifications((int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis()))).length > 0;
    }

    private Object[] notifications(int waitMillis) throws SQLException {
        Object result = invoke(getNotifications, pgConnection, waitMillis);
        if (result == null) {
            return new Object[0];
        }
        Object[] notifications = new Object[Array.getLength(result)];
        for (int i = 0; i < notifications.length; i++) {
            notifications[i] = Array.get(result, i);
        }
        return notifications;
    }

    private static Object invoke(Method method, Object target, Object... arguments) throws SQLException {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            throw new SQLException("waiting for notifications failed", e.getCause());
        } catch (IllegalAccessException e) {
            throw new SQLException("the driver's notifications cannot be read", e);
        }
    }

    private static void commitIfNeeded(Connection connection) throws SQLException {
        // LISTEN and NOTIFY take effect at commit; under autocommit the statement was its own transaction.
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /** Stops listening and gives the connection back; a broken one is closed all the same. */
    @Override
    public void close() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
            commitIfNeeded(connection);
        } catch (SQLException | RuntimeException e) {
            // A pooled connection still listening would collect notifications nobody reads.
            Connections.abandon(connection, "Closing a database connection that may still LISTEN", e);
            return;
        }
        Connections.closeQuietly(connection);
    }
}
