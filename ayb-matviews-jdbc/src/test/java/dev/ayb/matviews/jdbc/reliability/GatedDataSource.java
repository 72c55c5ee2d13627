package dev.ayb.matviews.jdbc.reliability;

import dev.ayb.matviews.testkit.reliability.ForwardingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A data source that can hold the next borrow until the test opens the gate, so that a call's next step
 * (typically a record written on a fresh connection) happens exactly when the test wants it to.
 */
final class GatedDataSource extends ForwardingDataSource {
    private static final long PATIENCE_SECONDS = 30;

    private volatile CountDownLatch reached;
    /** Set while the next borrow is still to be held; the latch itself stays with {@link #gate}. */
    private volatile CountDownLatch armed;
    private volatile CountDownLatch gate;

    GatedDataSource(DataSource delegate) {
        super(delegate);
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
        return delegate().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        waitAtTheGate();
        return delegate().getConnection(username, password);
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
}
