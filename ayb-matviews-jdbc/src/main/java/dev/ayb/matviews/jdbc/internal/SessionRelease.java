package dev.ayb.matviews.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ending a session-locked refresh undoes: the advisory lock, and the settings changed for the refresh,
 * as select-list items that ride on a statement (the record's, or one of their own).
 *
 * @param restore setting name to the value to put back
 */
record SessionRelease(int namespace, int lockKey, Map<String, String> restore) {
    SessionRelease {
        // Insertion order kept: the same settings always make the same statement text (one prepared plan).
        restore = Collections.unmodifiableMap(new LinkedHashMap<>(restore));
    }

    /** {@code pg_advisory_unlock(?, ?) AS unlocked} then one {@code set_config} per setting to restore. */
    String selectList() {
        StringBuilder sql = new StringBuilder("pg_advisory_unlock(?, ?) AS unlocked");
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
        statement.setInt(next++, namespace);
        statement.setInt(next++, lockKey);
        for (String setting : restore.keySet()) {
            statement.setString(next++, restore.get(setting));
        }
        return next;
    }
}
