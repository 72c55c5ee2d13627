package dev.ayb.matviews.jobs.reliability;

import dev.ayb.matviews.testkit.reliability.ForwardingDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * A data source whose way to the database can be cut and restored, as a network partition or a frozen
 * process would cut one application instance off while the database and the other instances carry on.
 * While cut, every borrow fails the way a pool fails when it cannot reach the server.
 */
final class CuttableDataSource extends ForwardingDataSource {
    private volatile boolean cut;

    CuttableDataSource(DataSource delegate) {
        super(delegate);
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
        return delegate().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileCut();
        return delegate().getConnection(username, password);
    }

    private void refuseWhileCut() throws SQLException {
        if (cut) {
            throw new SQLTransientConnectionException("connection is not available (cut off by the test)", "08001");
        }
    }
}
