package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.internal.tracking.SwapRelink;
import dev.ayb.matviews.jdbc.support.CatalogSql;

import dev.ayb.matviews.jdbc.support.PgErrors;

import dev.ayb.matviews.jdbc.support.Connections;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.spi.LockAttempt;
import dev.ayb.matviews.spi.RefreshLocks;
import dev.ayb.matviews.spi.RegistrationLockAttempt;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.spi.ViewState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * PostgreSQL advisory locks, one per view, keyed {@code (namespace, pg_class.oid)} with the two-integer
 * form of the lock functions. Object ids are unique per database, so two views never share a key, and
 * the namespace keeps the library's locks apart from the host's. In {@code pg_locks} a refresh lock
 * shows as {@code classid = namespace, objid = the view's oid, objsubid = 2}. A swap refresh gives the view a new
 * oid: it takes the new oid's lock too before its switch and holds both until its record (see {@link SwapRefresh}),
 * so a refresh looking the view up before or after the switch finds it locked either way.
 *
 * <p>One round trip takes the lock, checks the view still is a materialized view, and reads what
 * CONCURRENTLY needs; a missing view takes no lock. Refreshing by reference, the same round trip also reads
 * the registration (the registrations live in the same database), so a refresh that finds its view busy
 * costs one statement.
 */
public final class AdvisoryRefreshLocks implements RefreshLocks {
    private final DataSource dataSource;
    private final RunRecorder recorder;
    /**
     * A session lock is re-entrant: asked again on a backend that holds it, PostgreSQL says yes. The library's
     * own connections never hold it between refreshes (an unconfirmed release ends the connection), so a backend
     * that already holds it is one a transaction-pooling proxy shares with the client whose refresh is running
     * there. Then {@code locked} is null and the attempt is refused instead of refreshing a second time. The
     * namespace parameter is bound once, as in transaction mode; pg_locks is read for this backend's own locks.
     */
    private static final String SESSION_TRY_LOCK = "(SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_locks l"
            + " WHERE l.locktype = 'advisory' AND l.pid = pg_backend_pid() AND l.granted AND l.objsubid = 2"
            + " AND l.classid = (p.namespace::int8 & 4294967295)::oid AND l.objid = c.oid)"
            + " THEN NULL ELSE pg_try_advisory_lock(p.namespace, k.lock_key) END"
            + " FROM (SELECT ?::int4 AS namespace) p)";

    private final int namespace;
    private final boolean transactional;
    private final String byNameSql;
    private final String byIdSql;
    private final String byRegisteredNameSql;
    private final SwapRelink relink;

    /**
     * @param transactional {@code pg_try_advisory_xact_lock} inside one transaction (works behind a
     *                      transaction-pooling PgBouncer) instead of a session lock
     */
    public AdvisoryRefreshLocks(DataSource dataSource, JdbcRegistrationStore store, int namespace,
                                boolean transactional) {
        this.dataSource = dataSource;
        this.recorder = store.recorder();
        this.relink = new SwapRelink(store.schema());
        this.namespace = namespace;
        this.transactional = transactional;
        // The lock function is called in the outermost select list only, so it runs for the one row that is
        // returned and never for a row a join or filter would discard. With no such view, the key is null
        // and the (strict) function is not called at all.
        String lockColumns = "k.lock_key, " + (transactional ? "pg_try_advisory_xact_lock(?, k.lock_key)"
                : SESSION_TRY_LOCK) + " AS locked, " + CatalogSql.POPULATED + ", "
                + CatalogSql.HAS_USABLE_UNIQUE_INDEX + " AS usable_index,"
                + " current_setting('lock_timeout') AS lock_timeout,"
                + " current_setting('statement_timeout') AS statement_timeout,"
                // Session mode compares it with the unlock's: a transaction-pooling proxy may move the session.
                + " pg_backend_pid() AS backend_pid";
        // oid is unsigned 32-bit; the lock functions take int4, so the oid's bits are reinterpreted.
        String lockKey = " LEFT JOIN LATERAL (SELECT (c.oid::int8 - CASE WHEN c.oid::int8 > 2147483647"
                + " THEN 4294967296 ELSE 0 END)::int4 AS lock_key) k ON true";
        this.byNameSql = "SELECT " + lockColumns
                + " FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace" + lockKey
                + " WHERE " + CatalogSql.IS_MATVIEW + " AND n.nspname = ? AND c.relname = ?";
        String registered = "SELECT " + prefixed(Rows.REGISTRATION_COLUMNS) + ", " + lockColumns
                + " FROM " + store.schema().registrations() + " r"
                + " LEFT JOIN (pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace)"
                + " ON " + CatalogSql.IS_MATVIEW + " AND n.nspname = r.schema_name AND c.relname = r.view_name" + lockKey;
        this.byIdSql = registered + " WHERE r.id = ?";
        this.byRegisteredNameSql = registered + " WHERE r.schema_name = ? AND r.view_name = ?";
    }

    private static String prefixed(String columns) {
        return "r." + columns.replace(", ", ", r.");
    }

    @Override
    public LockAttempt tryLock(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts) {
        return attempt(view.toString(), byNameSql, statement -> {
            statement.setString(2, view.schema());
            statement.setString(3, view.view());
        }, (connection, originalAutoCommit, row) -> lockAttempt(connection, originalAutoCommit, row, view, mode,
                timeouts)).orElseGet(LockAttempt.ViewMissing::new); // no row: no materialized view of that name
    }

    @Override
    public Optional<RegistrationLockAttempt> tryLock(ViewRef ref, RegistrationStore store,
                                                     RefreshTimeouts defaultTimeouts) {
        String sql = ref instanceof ViewRef.ById ? byIdSql : byRegisteredNameSql;
        return attempt(ref.toString(), sql, statement -> {
            if (ref instanceof ViewRef.ById byId) {
                statement.setObject(2, byId.id());
            } else {
                QualifiedName name = ((ViewRef.ByName) ref).name();
                statement.setString(2, name.schema());
                statement.setString(3, name.view());
            }
        }, (connection, originalAutoCommit, row) -> {
            Registration registration = Rows.registration(row);
            LockAttempt attempt = lockAttempt(connection, originalAutoCommit, row, registration.qualifiedName(),
                    registration.refreshMode(), registration.timeouts().orElse(defaultTimeouts));
            return new RegistrationLockAttempt(registration, attempt);
        });
    }

    /**
     * Runs the lock query on a borrowed connection. The connection stays borrowed only when a session
     * was opened on it; every other outcome gives it back (or, when in doubt, ends it).
     *
     * @return empty when the query returned no row
     */
    private <T> Optional<T> attempt(String what, String sql, Binder binder, RowReader<T> reader) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw PgErrors.database("borrowing a connection to refresh " + what, e);
        }
        boolean originalAutoCommit = true;
        try {
            originalAutoCommit = connection.getAutoCommit();
            if (originalAutoCommit == transactional) {
                connection.setAutoCommit(!transactional);
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setInt(1, namespace);
                binder.bind(statement);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        giveBack(connection, originalAutoCommit);
                        return Optional.empty();
                    }
                    return Optional.of(reader.read(connection, originalAutoCommit, row));
                }
            }
        } catch (SQLException | RuntimeException e) {
            // A session that failed to open has closed its connection already. Otherwise whether a lock was
            // taken is unknown here: ending the session is the sure way to release it.
            if (!Connections.isClosed(connection)) {
                Connections.abandon(connection, e);
            }
            throw e instanceof SQLException failure ? PgErrors.database("locking " + what + " for refresh", failure)
                    : (RuntimeException) e;
        }
    }

    /** Reads the lock columns of the row; opens a session when the lock was taken, else gives back. */
    private LockAttempt lockAttempt(Connection connection, boolean originalAutoCommit, ResultSet row,
                                    QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts)
            throws SQLException {
        int lockKey = row.getInt("lock_key");
        if (row.wasNull()) {
            giveBack(connection, originalAutoCommit);
            return new LockAttempt.ViewMissing();
        }
        boolean locked = row.getBoolean("locked");
        if (row.wasNull()) {
            int backendPid = row.getInt("backend_pid");
            giveBack(connection, originalAutoCommit);
            throw SessionUnlock.heldBeforeTheLock(view, backendPid);
        }
        if (!locked) {
            giveBack(connection, originalAutoCommit);
            return new LockAttempt.Busy();
        }
        ViewState state = new ViewState(view, row.getBoolean("populated"), row.getBoolean("usable_index"));
        PgRefreshSession session = new PgRefreshSession(connection, state, mode, recorder, namespace, lockKey,
                transactional, originalAutoCommit, row.getString("lock_timeout"), row.getString("statement_timeout"),
                row.getInt("backend_pid"), relink);
        try {
            session.applyTimeouts(timeouts);
        } catch (SQLException | RuntimeException e) {
            session.close();
            throw e;
        }
        return new LockAttempt.Acquired(session);
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

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(Connection connection, boolean originalAutoCommit, ResultSet row) throws SQLException;
    }
}
