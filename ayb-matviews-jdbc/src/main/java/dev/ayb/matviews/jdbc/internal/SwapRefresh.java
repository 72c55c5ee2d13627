package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.internal.tracking.SwapRelink;
import dev.ayb.matviews.jdbc.support.Connections;
import dev.ayb.matviews.jdbc.support.PgErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A swap refresh, on the connection that holds the view's advisory lock: the new contents are built beside the live
 * view under a temporary name ({@link SwapNames}), dressed as the live one ({@link SwapCopy}), then put in its place
 * by one short transaction. Readers of the view wait only for that switch.
 *
 * <p><b>Never losing the view.</b> The build is one transaction: a failure or a killed backend during it leaves
 * nothing. The switch is another (drop the old view, rename the new one and its indexes, move change tracking to the
 * new object id): it commits whole or not at all. Between the two the built view exists under its temporary name;
 * a swap that fails there drops it, and one that died there leaves it to the next swap of the view, which drops it
 * before building. In transaction lock mode everything, the record included, is the lock's one transaction: the
 * build and the switch are savepoints in it, and nothing is left behind by any failure.
 *
 * <p><b>The lock follows the view.</b> The advisory lock is keyed by the view's object id, which the switch changes.
 * So the swap also takes the lock of the new object id as soon as it exists, and holds both until its outcome is
 * recorded: a refresh that reads the name before the switch commits finds the old id locked, one that reads it
 * after finds the new id locked. A swap whose lock was taken on an id the name no longer has (another swap
 * switched meanwhile) stops with {@code refresh already in progress} before building anything.
 *
 * <p><b>The switch waits briefly.</b> Dropping the old view needs ACCESS EXCLUSIVE, which waits for running reads:
 * the switch runs under {@code SET LOCAL lock_timeout} (the view's lock timeout, else {@link #DEFAULT_SWITCH_LOCK_TIMEOUT})
 * so that new readers queue behind it only that long, and is tried {@link #SWITCH_ATTEMPTS} times before the swap
 * fails with {@code refresh_lock_timeout}, the live view unchanged. The build runs under the view's statement
 * timeout like any refresh.
 *
 * <p>Plain and materialized views that depend on the view are bound to its object id: the swap is refused (409,
 * naming them) before it builds, and again if one appeared meanwhile (the drop then fails instead of cascading).
 */
final class SwapRefresh {
    private static final Logger LOG = LoggerFactory.getLogger(SwapRefresh.class);
    static final Duration DEFAULT_SWITCH_LOCK_TIMEOUT = Duration.ofSeconds(5);
    static final int SWITCH_ATTEMPTS = 3;
    private static final Duration SWITCH_RETRY_PAUSE = Duration.ofMillis(200);
    private static final String DEPENDENT_OBJECTS_STILL_EXIST = "2BP01";

    private final Connection connection;
    private final QualifiedName view;
    private final SwapNames names;
    private final boolean transactional;
    private final int namespace;
    private final int lockKey;
    private final Duration switchLockTimeout;
    private final SwapRelink relink;
    private final IntConsumer followLockTaken;

    /**
     * @param lockKey         the advisory lock key taken for the view (its object id then)
     * @param followLockTaken told the key of the new object id once its lock is held, for the session to release
     */
    SwapRefresh(Connection connection, QualifiedName view, boolean transactional, int namespace, int lockKey,
                Duration switchLockTimeout, SwapRelink relink, IntConsumer followLockTaken) {
        this.connection = connection;
        this.view = view;
        this.names = new SwapNames(view);
        this.transactional = transactional;
        this.namespace = namespace;
        this.lockKey = lockKey;
        this.switchLockTimeout = switchLockTimeout;
        this.relink = relink;
        this.followLockTaken = followLockTaken;
    }

    void run() throws SQLException {
        if (transactional) {
            runInSavepoint();
            return;
        }
        SwapCopy copy = prepare();
        dropLeftover(copy);
        long newOid = Connections.inOwnTransaction(connection, unused -> build(copy));
        try {
            switchWithRetries(copy, newOid);
        } catch (SQLException | RuntimeException failure) {
            dropBuiltView(failure);
            throw failure;
        }
    }

    /** Transaction lock mode: the whole swap is a savepoint of the lock's transaction, undone whole on failure. */
    private void runInSavepoint() throws SQLException {
        Connections.inSavepoint(connection, unused -> {
            SwapCopy copy = prepare();
            dropLeftover(copy);
            long newOid = build(copy);
            switchWithRetries(copy, newOid);
            return null;
        });
    }

    /** Reads the live view, and refuses before building anything what the switch could not do. */
    private SwapCopy prepare() throws SQLException {
        SwapCopy copy = SwapCopy.read(connection, view, names)
                .orElseThrow(() -> new MatviewException(ErrorCode.VIEW_NO_LONGER_EXISTS, view));
        if (lockKey(copy.oid()) != lockKey) {
            // The lock was taken on the id the name had before another swap switched: that swap may still run.
            throw new MatviewException(ErrorCode.REFRESH_IN_PROGRESS, view);
        }
        refuseDependants(copy.oid());
        return copy;
    }

    private void refuseDependants(long oid) throws SQLException {
        List<String> dependants = ViewDependants.of(connection, oid);
        if (!dependants.isEmpty()) {
            throw new MatviewException(ErrorCode.SWAP_BLOCKED_BY_DEPENDANTS, DiscoveredView.dependantsMessage(dependants),
                    view, null, null);
        }
    }

    /**
     * Drops what an earlier swap of this view left under the build name when it died, and nothing else: a leftover
     * is a materialized view with the live view's definition. Anything else by that name is the user's, and the
     * swap is refused rather than drop it.
     */
    private void dropLeftover(SwapCopy copy) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.relkind = 'm'"
                + " AND pg_catalog.pg_get_viewdef(c.oid) = pg_catalog.pg_get_viewdef(CAST(? AS pg_catalog.oid))"
                + " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?")) {
            statement.setLong(1, copy.oid());
            statement.setString(2, view.schema());
            statement.setString(3, names.view());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return;
                }
                if (!row.getBoolean(1)) {
                    throw new MatviewException(ErrorCode.SWAP_NAME_TAKEN, "swap refresh of " + view + " needs the"
                            + " name " + names.qualified(names.view()) + ", which another object has (not a leftover"
                            + " of an earlier swap: its definition differs); rename or drop it", view, null, null);
                }
            }
        }
        LOG.info("Swap of {}: dropping {}, left by an earlier swap that did not finish", view,
                names.qualified(names.view()));
        execute("DROP MATERIALIZED VIEW " + names.qualified(names.view()));
    }

    /** Creates, fills, indexes and dresses the new view; takes its object id's lock; returns that id. */
    private long build(SwapCopy copy) throws SQLException {
        for (String statement : copy.build()) {
            execute(statement);
        }
        long newOid = oidOf(names.view());
        String tryLock = transactional ? "pg_try_advisory_xact_lock" : "pg_try_advisory_lock";
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + tryLock + "(?, ?)")) {
            statement.setInt(1, namespace);
            statement.setInt(2, lockKey(newOid));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (!row.getBoolean(1)) {
                    // Only a stale lock on a reused object id can hold it: nobody else knows the new view yet.
                    throw new MatviewException(ErrorCode.REFRESH_IN_PROGRESS, view);
                }
            }
        }
        followLockTaken.accept(lockKey(newOid));
        for (String statement : SwapCopy.dressing(connection, names.qualified(names.view()), copy.oid(), newOid)) {
            execute(statement);
        }
        return newOid;
    }

    /** The object id of the materialized view of that name in the view's schema; 0 when there is none. */
    private long oidOf(String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.oid::int8 FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'm' AND n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, view.schema());
            statement.setString(2, name);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private void switchWithRetries(SwapCopy copy, long newOid) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                if (transactional) {
                    switchInSavepoint(copy, newOid);
                } else {
                    Connections.inOwnTransaction(connection, unused -> {
                        switchOver(copy, newOid);
                        return null;
                    });
                }
                return;
            } catch (SQLException e) {
                if (DEPENDENT_OBJECTS_STILL_EXIST.equals(e.getSQLState())) {
                    refuseDependants(copy.oid());
                    throw e; // another kind of dependant (a function of its row type): PostgreSQL's message says which
                }
                if (!PgErrors.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    throw e;
                }
                if (attempt == SWITCH_ATTEMPTS) {
                    throw new MatviewException(ErrorCode.REFRESH_LOCK_TIMEOUT, "swap of " + view
                            + " could not lock the view within " + switchLockTimeout.toMillis() + " ms in "
                            + SWITCH_ATTEMPTS + " attempts; the view is unchanged", view, e.getSQLState(), e);
                }
                LOG.debug("Swap of {}: the switch timed out waiting for readers (attempt {} of {})", view, attempt,
                        SWITCH_ATTEMPTS);
                pause(attempt);
            }
        }
    }

    private void switchInSavepoint(SwapCopy copy, long newOid) throws SQLException {
        Connections.inSavepoint(connection, unused -> {
            String lockTimeout = currentLockTimeout();
            switchOver(copy, newOid);
            setLocalLockTimeout(lockTimeout); // the record that follows runs under the view's own timeout again
            return null;
        });
    }

    /**
     * The switch's statements, in a transaction (or savepoint) of the caller's. The live view is first renamed out
     * of the way, which is what waits for readers: the rename locks whatever the name stands for before the check
     * that it is the view the copy was built from, so the view dropped below is the one checked, even if the name
     * was given to another view just before. A check without the lock could pass, then lose a race with a drop and
     * create of the same name, and drop the user's new view.
     */
    private void switchOver(SwapCopy copy, long newOid) throws SQLException {
        setLocalLockTimeout(Long.toString(switchLockTimeout.toMillis()));
        try {
            execute("ALTER MATERIALIZED VIEW " + view.quoted() + " RENAME TO " + IdentifierValidator.quote(names.old()));
        } catch (SQLException e) {
            if (!PgErrors.UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            throw replacedMeanwhile();
        }
        if (oidOf(names.old()) != copy.oid()) {
            // Dropped and created again outside the library while the copy was built: its new definition wins.
            throw replacedMeanwhile();
        }
        List<UUID> intact = relink.intactBefore(connection, copy.oid());
        execute("DROP MATERIALIZED VIEW " + names.qualified(names.old()));
        execute("ALTER MATERIALIZED VIEW " + names.qualified(names.view()) + " RENAME TO "
                + IdentifierValidator.quote(view.view()));
        for (String rename : copy.indexRenames()) {
            execute(rename);
        }
        relink.after(connection, copy.oid(), newOid, intact);
    }

    /** The transaction (or savepoint) that renamed the view rolls back with this: the view is left as it is. */
    private MatviewException replacedMeanwhile() {
        return new MatviewException(ErrorCode.REFRESH_FAILED, "swap of " + view + " stopped: the view was"
                + " replaced while the swap built its copy; the view is unchanged", view, null, null);
    }

    private String currentLockTimeout() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('lock_timeout')")) {
            row.next();
            return row.getString(1);
        }
    }

    private void setLocalLockTimeout(String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
            statement.setString(1, value);
            statement.execute();
        }
    }

    /** Session mode, after a failed switch: the built view goes, unless the connection went first (then the next swap). */
    private void dropBuiltView(Throwable failure) {
        if (Connections.isClosed(connection)) {
            return;
        }
        try {
            execute("DROP MATERIALIZED VIEW IF EXISTS " + names.qualified(names.view()));
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(SWITCH_RETRY_PAUSE.toMillis() * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatviewException(ErrorCode.REFRESH_FAILED, "swap interrupted while waiting to retry its switch");
        }
    }

    /** The advisory lock key of an object id: its 32 bits read as an int4, as the lock query computes it. */
    static int lockKey(long oid) {
        return (int) oid;
    }
}
