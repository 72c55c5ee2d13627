package dev.ayb.matviews.jdbc.reliability;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that can hold the next borrow until the test opens the gate, so that a call's next step
 * (typically a record written on a fresh connection) happens exactly when the test wants it to.
 */
final class GatedDataSource implements DataSource {
    private static final long PATIENCE_SECONDS = 30;

    private final DataSource delegate;
    private volatile CountDownLatch reached;
    /** Set while the next borrow is still to be held; the latch itself stays with {@link #gate}. */
    private volatile CountDownLatch armed;
    private volatile CountDownLatch gate;

    GatedDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** The next borrow waits at the gate until {@link #open()}. */
    void closeBeforeNextBorrow() {
        reached = new CountDownLatch(1);
        gate = new CountDownLatch(1);
        armed = gate;
    }

    /** Waits until a borrow is held at the gate. */
    void awaitBorrowHeld() throws InterruptedException {
        if (!reached.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("no borrow reached the gate within " + PATIENCE_SECONDS + " s");
        }
    }

    void open() {
        CountDownLatch current = gate;
        if (current != null) {
            current.countDown();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        waitAtTheGate();
        return delegate.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        waitAtTheGate();
        return delegate.getConnection(username, password);
    }

    private void waitAtTheGate() throws SQLException {
        CountDownLatch held = armed;
        if (held == null) {
            return;
        }
        armed = null;
        reached.countDown();
        try {
            if (!held.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                throw new SQLException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted at the gate", e);
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
