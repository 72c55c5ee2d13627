package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.internal.tracking.SwapRelink;
import dev.ayb.matviews.jdbc.support.PgErrors;

import dev.ayb.matviews.jdbc.support.Connections;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RefreshSession;
import dev.ayb.matviews.spi.RunRecord;
import dev.ayb.matviews.spi.ViewState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One refresh on the connection that holds the view's advisory lock.
 *
 * <p>Session mode: autocommit, so no transaction stays open around the refresh; timeouts are session
 * settings, put back together with the unlock, which rides on the record statement (or, when no record
 * was written, on a statement of its own at close). Transaction mode: everything, the record
 * included, is one transaction; the lock and the {@code SET LOCAL}-style timeouts end with it, and a
 * savepoint keeps a failed refresh from losing the record of its failure.
 */
final class PgRefreshSession implements RefreshSession {
    private final Connection connection;
    private final ViewState view;
    private final RefreshMode mode;
    private final RunRecorder recorder;
    private final int namespace;
    private final int lockKey;
    private final boolean transactional;
    private final boolean originalAutoCommit;
    private final String originalLockTimeout;
    private final String originalStatementTimeout;
    private final int lockBackendPid;
    private boolean lockTimeoutChanged;
    private boolean statementTimeoutChanged;
    private boolean closed;
    /** Transaction mode: the REFRESH and its record committed (the lock went with the commit). */
    private boolean committed;
    /** Session mode: the record statement ran its unlock (or, on another backend, declined to). */
    private boolean released;
    /** Session mode: a record statement carrying the unlock was sent, and failed. */
    private boolean unlockMayHaveRun;
    /** {@code pg_current_snapshot()} taken just before the REFRESH of a tracked view; null otherwise. */
    private @Nullable String changeSnapshot;
    /** The view's own lock timeout, which a swap's switch waits for readers with; null when it has none. */
    private @Nullable Duration lockTimeout;
    /** A swap's lock on the new object id of the view (see {@link SwapRefresh}); null when none is held. */
    private @Nullable Integer followLockKey;
    private final SwapRelink relink;
    /** Session mode: why the lock is not known to be released, once an unlock found so. */
    private @Nullable MatviewException releaseFailure;

    PgRefreshSession(Connection connection, ViewState view, RefreshMode mode, RunRecorder recorder, int namespace,
                     int lockKey, boolean transactional, boolean originalAutoCommit, String originalLockTimeout,
                     String originalStatementTimeout, int lockBackendPid, SwapRelink relink) {
        this.connection = connection;
        this.view = view;
        this.mode = mode;
        this.recorder = recorder;
        this.namespace = namespace;
        this.lockKey = lockKey;
        this.transactional = transactional;
        this.originalAutoCommit = originalAutoCommit;
        this.originalLockTimeout = originalLockTimeout;
        this.originalStatementTimeout = originalStatementTimeout;
        this.lockBackendPid = lockBackendPid;
        this.relink = relink;
    }

    @Override
    public ViewState view() {
        return view;
    }

    void applyTimeouts(RefreshTimeouts timeouts) throws SQLException {
        lockTimeout = timeouts.lockTimeout();
        if (timeouts.isNone()) {
            return;
        }
        List<String> settings = new ArrayList<>();
        List<String> values = new ArrayList<>();
        timeouts.lock().ifPresent(d -> {
            settings.add("lock_timeout");
            values.add(Long.toString(d.toMillis()));
        });
        timeouts.statement().ifPresent(d -> {
            settings.add("statement_timeout");
            values.add(Long.toString(d.toMillis()));
        });
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < settings.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("set_config('").append(settings.get(i)).append("', ?, ")
                    .append(transactional).append(')');
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                statement.setString(i + 1, values.get(i));
            }
            statement.execute();
        }
        lockTimeoutChanged = timeouts.lock().isPresent();
        statementTimeoutChanged = timeouts.statement().isPresent();
    }

    @Override
    public void refresh() {
        if (mode == RefreshMode.SWAP) {
            swap();
            return;
        }
        String sql = refreshSql(view.name(), mode);
        try {
            if (transactional) {
                refreshInSavepoint(sql);
            } else {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw PgErrors.refresh(view.name(), mode, e);
        }
    }

    private void swap() {
        SwapRefresh swap = new SwapRefresh(connection, view.name(), transactional, namespace, lockKey,
                lockTimeout != null ? lockTimeout : SwapRefresh.DEFAULT_SWITCH_LOCK_TIMEOUT, relink,
                key -> followLockKey = key);
        try {
            swap.run();
        } catch (SQLException e) {
            throw PgErrors.refresh(view.name(), mode, e);
        }
    }

    /**
     * On this connection, so that nothing can commit between what it reads and the REFRESH that follows but be
     * counted as unseen: a transaction the snapshot sees committed before the REFRESH started, so the REFRESH
     * read it too.
     */
    @Override
    public void captureChangeSnapshot() {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_catalog.pg_current_snapshot()::text")) {
            row.next();
            changeSnapshot = row.getString(1);
        } catch (SQLException e) {
            throw PgErrors.refresh(view.name(), mode, e);
        }
    }

    /** Both parts of the name are validated and quoted (the swap's statements are {@link SwapCopy}'s). */
    static String refreshSql(QualifiedName view, RefreshMode mode) {
        return "REFRESH MATERIALIZED VIEW " + (mode == RefreshMode.CONCURRENT ? "CONCURRENTLY " : "") + view.quoted();
    }

    private void refreshInSavepoint(String sql) throws SQLException {
        Connections.inSavepoint(connection, c -> {
            try (Statement statement = c.createStatement()) {
                return statement.execute(sql);
            }
        });
    }

    /**
     * In session mode the record statement also releases the lock and restores the settings, which saves the
     * refresh a round trip; {@link #close()} then only returns the connection.
     */
    @Override
    public RecordedRun record(RunRecord run) {
        if (transactional) {
            RecordedRun recorded = recorder.record(connection, run, changeSnapshot);
            commit();
            return recorded;
        }
        if (released) {
            return recorder.record(connection, run, changeSnapshot);
        }
        // Until it answers, the statement may have run its unlock and failed after it (an AFTER trigger, a
        // deadlock in a later part): close() must then not take the missing lock for one lost to a proxy.
        unlockMayHaveRun = true;
        RunRecorder.Released outcome = recorder.recordAndRelease(connection, run, changeSnapshot, release());
        released = true;
        releaseFailure = outcome.unlock().failure(view.name()).orElse(null);
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.recorded();
    }

    /**
     * Transaction mode: the REFRESH and its record become true only here. A COMMIT that fails (serialization
     * failure, a deferred constraint, a backend terminated or a connection lost at that moment) has undone
     * both, so it is a failed refresh, reported as such; the caller records it on a fresh connection.
     */
    private void commit() {
        try {
            connection.commit();
            committed = true;
        } catch (SQLException commitFailure) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                commitFailure.addSuppressed(rollbackFailure);
            }
            throw PgErrors.refresh(view.name(), mode, commitFailure);
        }
    }

    /** In transaction mode the REFRESH commits with its record, or not at all. */
    @Override
    public boolean refreshOutlivesFailedRecord() {
        return !transactional;
    }

    private SessionRelease release() {
        Map<String, String> restore = new LinkedHashMap<>();
        if (lockTimeoutChanged) {
            restore.put("lock_timeout", originalLockTimeout);
        }
        if (statementTimeoutChanged) {
            restore.put("statement_timeout", originalStatementTimeout);
        }
        return new SessionRelease(namespace, lockKey, lockBackendPid, restore);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (transactional) {
                if (!committed) {
                    // No record committed with the REFRESH (it failed, or was never written): undo both.
                    connection.rollback();
                }
            } else {
                if (!released) {
                    unlockAndRestore();
                }
                releaseFollowLock();
                if (releaseFailure != null) {
                    throw releaseFailure;
                }
            }
            if (connection.getAutoCommit() != originalAutoCommit) {
                connection.setAutoCommit(originalAutoCommit);
            }
        } catch (SQLException | RuntimeException e) {
            Connections.abandon(connection, e);
            return;
        }
        Connections.closeQuietly(connection);
    }

    /**
     * Session mode: the lock was not confirmed released (the connection was aborted for it, with a WARN). The
     * REFRESH ran; the caller must still hear that exclusion was not guaranteed and that the lock may be held on.
     */
    @Override
    public Optional<MatviewException> releaseFailure() {
        return Optional.ofNullable(releaseFailure);
    }

    /**
     * Session mode, after the view's own lock: a swap's lock on the new object id, held until the record so that no
     * refresh started after the switch could record before it. On the locking backend only, as the unlock above.
     */
    private void releaseFollowLock() throws SQLException {
        if (followLockKey == null) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT CASE WHEN pg_backend_pid() = ? THEN pg_advisory_unlock(?, ?) ELSE false END")) {
            statement.setInt(1, lockBackendPid);
            statement.setInt(2, namespace);
            statement.setInt(3, followLockKey);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next() || !row.getBoolean(1)) {
                    throw new IllegalStateException("the swap's lock of " + view.name() + "'s new object was not held"
                            + " at release");
                }
            }
        }
        followLockKey = null;
    }

    private void unlockAndRestore() throws SQLException {
        SessionRelease release = release();
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + release.selectList())) {
            release.bind(statement, 1);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("advisory lock of " + view.name() + " was not held at release");
                }
                SessionUnlock unlock = release.unlock(row);
                if (unlockMayHaveRun && unlock.goneFromItsOwnSession()) {
                    return; // the failed record statement released it; its failure is the one reported
                }
                releaseFailure = unlock.failure(view.name()).orElse(null);
                if (releaseFailure != null) {
                    throw releaseFailure;
                }
            }
        }
    }
}
