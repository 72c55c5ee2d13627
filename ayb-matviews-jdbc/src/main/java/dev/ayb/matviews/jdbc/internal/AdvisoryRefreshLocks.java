package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.spi.LockAttempt;
import dev.ayb.matviews.spi.RefreshLocks;
import dev.ayb.matviews.spi.ViewState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * PostgreSQL advisory locks, one per view, keyed {@code (namespace, pg_class.oid)} with the two-integer
 * form of the lock functions. Object ids are unique per database, so two views never share a key, and
 * the namespace keeps the library's locks apart from the host's. In {@code pg_locks} a refresh lock
 * shows as {@code classid = namespace, objid = the view's oid, objsubid = 2}.
 *
 * <p>One round trip takes the lock, checks the view still is a materialized view, and reads what
 * CONCURRENTLY needs; a missing view takes no lock.
 */
public final class AdvisoryRefreshLocks implements RefreshLocks {
    private final DataSource dataSource;
    private final RunRecorder recorder;
    private final int namespace;
    private final boolean transactional;
    private final String acquireSql;

    /**
     * @param transactional {@code pg_try_advisory_xact_lock} inside one transaction (works behind a
     *                      transaction-pooling PgBouncer) instead of a session lock
     */
    public AdvisoryRefreshLocks(DataSource dataSource, JdbcRegistrationStore store, int namespace,
                                boolean transactional) {
        this.dataSource = dataSource;
        this.recorder = store.recorder();
        this.namespace = namespace;
        this.transactional = transactional;
        String tryLock = transactional ? "pg_try_advisory_xact_lock" : "pg_try_advisory_lock";
        // oid is unsigned 32-bit; the lock functions take int4, so the oid's bits are reinterpreted.
        this.acquireSql = "SELECT k.lock_key, " + tryLock + "(?, k.lock_key) AS locked, c.relispopulated, "
                + CatalogSql.HAS_USABLE_UNIQUE_INDEX + " AS usable_index,"
                + " current_setting('lock_timeout') AS lock_timeout,"
                + " current_setting('statement_timeout') AS statement_timeout"
                + " FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " CROSS JOIN LATERAL (SELECT (c.oid::int8 - CASE WHEN c.oid::int8 > 2147483647"
                + " THEN 4294967296 ELSE 0 END)::int4 AS lock_key) k"
                + " WHERE c.relkind = 'm' AND n.nspname = ? AND c.relname = ?";
    }

    @Override
    public LockAttempt tryLock(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw PgErrors.database("borrowing a connection to refresh " + view, e);
        }
        PgRefreshSession session = null;
        try {
            boolean originalAutoCommit = connection.getAutoCommit();
            if (originalAutoCommit == transactional) {
                connection.setAutoCommit(!transactional);
            }
            try (PreparedStatement statement = connection.prepareStatement(acquireSql)) {
                statement.setInt(1, namespace);
                statement.setString(2, view.schema());
                statement.setString(3, view.view());
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        giveBack(connection, originalAutoCommit);
                        return new LockAttempt.ViewMissing();
                    }
                    if (!row.getBoolean("locked")) {
                        giveBack(connection, originalAutoCommit);
                        return new LockAttempt.Busy();
                    }
                    ViewState state = new ViewState(view, row.getBoolean("relispopulated"),
                            row.getBoolean("usable_index"));
                    session = new PgRefreshSession(connection, state, mode, recorder, namespace,
                            row.getInt("lock_key"), transactional, originalAutoCommit,
                            row.getString("lock_timeout"), row.getString("statement_timeout"));
                }
            }
            session.applyTimeouts(timeouts);
            return new LockAttempt.Acquired(session);
        } catch (SQLException | RuntimeException e) {
            if (session != null) {
                session.close();
            } else {
                Connections.abandon(connection, e);
            }
            throw e instanceof SQLException sql ? PgErrors.database("locking " + view + " for refresh", sql)
                    : (RuntimeException) e;
        }
    }

    /** Returns a connection on which no lock is held (an xact attempt that failed holds none either). */
    private void giveBack(Connection connection, boolean originalAutoCommit) throws SQLException {
        if (transactional) {
            connection.rollback();
        }
        if (connection.getAutoCommit() != originalAutoCommit) {
            connection.setAutoCommit(originalAutoCommit);
        }
        connection.close();
    }
}
