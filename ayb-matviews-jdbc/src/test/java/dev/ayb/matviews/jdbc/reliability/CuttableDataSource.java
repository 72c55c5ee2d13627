package dev.ayb.matviews.jdbc.reliability;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose way to the database can be cut and restored, as a network partition or a frozen
 * process would cut one application instance off while the database and the other instances carry on.
 * While cut, every borrow fails the way a pool fails when it cannot reach the server.
 */
final class CuttableDataSource implements DataSource {
    private final DataSource delegate;
    private volatile boolean cut;

    CuttableDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    void cut() {
        cut = true;
    }

    void restore() {
        cut = false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileCut();
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileCut();
        return delegate.getConnection(username, password);
    }

    private void refuseWhileCut() throws SQLException {
        if (cut) {
            throw new SQLTransientConnectionException("connection is not available (cut off by the test)", "08001");
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
