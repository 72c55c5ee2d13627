package dev.ayb.matviews.testkit.reliability;

import dev.ayb.matviews.testkit.PostgresExtension;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Lends the same physical connection every time and ignores {@code close()}, with no pool in between to reset it:
 * whatever a call leaves on the connection (an open transaction, a changed autocommit) is there for the next look.
 * Give it a connection with autocommit off and call {@link #assertLeftAsFound} after each library call.
 */
public final class OneConnectionDataSource implements DataSource {
    private final Connection connection;

    public OneConnectionDataSource(Connection connection) {
        this.connection = connection;
    }

    /**
     * Autocommit still off, and no transaction open: {@code now()} is the time the transaction began, so it
     * comes before a moment read just now from the server's clock only when an earlier call left one open.
     *
     * @param server reads the server's clock on a connection of its own
     * @param after  what was called, for the failure message
     */
    public void assertLeftAsFound(PostgresExtension server, String after) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new AssertionError("autocommit turned on by " + after);
        }
        String justNow = server.queryString("SELECT clock_timestamp()");
        try (PreparedStatement statement = connection.prepareStatement("SELECT now() >= ?::timestamptz")) {
            statement.setString(1, justNow);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (!row.getBoolean(1)) {
                    throw new AssertionError("a transaction was left open by " + after);
                }
            }
        } finally {
            connection.rollback();
        }
    }

    @Override
    public Connection getConnection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) {
        return getConnection();
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
