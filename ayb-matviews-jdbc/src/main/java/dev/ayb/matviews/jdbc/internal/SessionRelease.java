package dev.ayb.matviews.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ending a session-locked refresh undoes: the advisory lock, and the settings changed for the refresh,
 * as select-list items that ride on a statement (the record's, or one of their own).
 *
 * <p>The unlock runs only on the backend that took the lock. Behind a transaction-pooling proxy (PgBouncer's
 * {@code pool_mode = transaction}) the statement may run on another backend, where the lock is not ours: that
 * backend may even hold the same key for another client, whose lock an unlock there would release.
 *
 * @param lockBackendPid {@code pg_backend_pid()} of the session that took the lock
 * @param restore        setting name to the value to put back
 */
record SessionRelease(int namespace, int lockKey, int lockBackendPid, Map<String, String> restore) {
    SessionRelease {
        // Insertion order kept: the same settings always make the same statement text (one prepared plan).
        restore = Collections.unmodifiableMap(new LinkedHashMap<>(restore));
    }

    /**
     * {@code unlock_backend_pid}, then {@code unlocked} ({@code pg_advisory_unlock(?, ?)} on the locking backend,
     * false elsewhere), then one {@code set_config} per setting to restore.
     */
    String selectList() {
        StringBuilder sql = new StringBuilder("pg_backend_pid() AS unlock_backend_pid,"
                + " CASE WHEN pg_backend_pid() = ? THEN pg_advisory_unlock(?, ?) ELSE false END AS unlocked");
        for (String setting : restore.keySet()) {
            sql.append(", set_config('").append(setting).append("', ?, false)");
        }
        return sql.toString();
    }

    /**
     * Binds {@link #selectList()}'s parameters from {@code first} on.
     *
     * @return the index of the next parameter
     */
    int bind(PreparedStatement statement, int first) throws SQLException {
        int next = first;
        statement.setInt(next++, lockBackendPid);
        statement.setInt(next++, namespace);
        statement.setInt(next++, lockKey);
        for (String setting : restore.keySet()) {
            statement.setString(next++, restore.get(setting));
        }
        return next;
    }

    /** What {@link #selectList()} found, read from the statement's row. */
    SessionUnlock unlock(ResultSet row) throws SQLException {
        return new SessionUnlock(row.getBoolean("unlocked"), lockBackendPid, row.getInt("unlock_backend_pid"));
    }
}
