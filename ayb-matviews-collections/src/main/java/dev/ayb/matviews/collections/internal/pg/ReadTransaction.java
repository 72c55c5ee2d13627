package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.support.Connections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One borrowed connection running one read-only transaction: the catalog query and the page's queries see
 * the same snapshot, a bug that let request text into SQL still could not write, and the statement timeout
 * bounds every query. The connection goes back to the pool as it came: settings are transaction-local
 * ({@code set_config(..., true)}), and its auto-commit and read-only flags are restored.
 *
 * <p>Reads take only PostgreSQL's ACCESS SHARE lock on the view: they run alongside a CONCURRENTLY refresh,
 * seeing the data as it was before it, and wait (up to the statement timeout) behind a standard refresh,
 * whose ACCESS EXCLUSIVE lock nothing can share.
 */
public final class ReadTransaction implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadTransaction.class);

    private final Connection connection;
    private final QualifiedName view;
    private final Duration statementTimeout;
    private final boolean wasReadOnly;
    private final boolean wasAutoCommit;
    private boolean failed;

    private ReadTransaction(Connection connection, QualifiedName view, Duration statementTimeout,
                            boolean wasReadOnly, boolean wasAutoCommit) {
        this.connection = connection;
        this.view = view;
        this.statementTimeout = statementTimeout;
        this.wasReadOnly = wasReadOnly;
        this.wasAutoCommit = wasAutoCommit;
    }

    public static ReadTransaction begin(DataSource dataSource, QualifiedName view, Duration statementTimeout) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            boolean wasReadOnly = connection.isReadOnly();
            boolean wasAutoCommit = connection.getAutoCommit();
            // Read-only first: the driver then opens the transaction with BEGIN READ ONLY.
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            return new ReadTransaction(connection, view, statementTimeout, wasReadOnly, wasAutoCommit);
        } catch (SQLException e) {
            if (connection != null) {
                Connections.closeQuietly(connection);
            }
            throw ReadFailures.of(e, view, statementTimeout);
        }
    }

    /** The view and its registration as they are now; empty when it is not a materialized view. */
    public Optional<DescribedView> describe(ViewCatalog catalog) {
        try {
            return catalog.describe(connection, view, statementTimeout);
        } catch (SQLException e) {
            failed = true;
            throw ReadFailures.ofCatalog(e, view, statementTimeout);
        }
    }

    /** Runs a query and hands each row to the reader. */
    public void query(Sql sql, RowHandler handler) {
        try (PreparedStatement statement = connection.prepareStatement(sql.text())) {
            sql.bindTo(statement);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    handler.row(rows);
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public long count(Sql sql) {
        long[] count = new long[1];
        query(sql, row -> count[0] = row.getLong(1));
        return count[0];
    }

    private RuntimeException failure(SQLException e) {
        failed = true;
        return ReadFailures.of(e, view, statementTimeout);
    }

    /** Ends the transaction (nothing was written either way) and gives the connection back as it came. */
    @Override
    public void close() {
        try {
            if (failed) {
                connection.rollback();
            } else {
                connection.commit();
            }
        } catch (SQLException e) {
            // The read's answer is already decided; a broken connection is the pool's to validate or evict.
            LOG.debug("Ending the read transaction of {} failed", view, e);
        }
        try {
            connection.setAutoCommit(wasAutoCommit);
            connection.setReadOnly(wasReadOnly);
        } catch (SQLException e) {
            LOG.debug("Restoring the connection's flags after reading {} failed", view, e);
        } finally {
            Connections.closeQuietly(connection);
        }
    }

    @FunctionalInterface
    public interface RowHandler {
        void row(ResultSet row) throws SQLException;
    }
}
