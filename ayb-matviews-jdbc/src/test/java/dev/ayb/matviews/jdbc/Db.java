package dev.ayb.matviews.jdbc;

import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small SQL helpers for assertions. */
public final class Db {
    private Db() {
    }

    public static long longValue(PostgresExtension pg, String sql) {
        try (Connection connection = pg.connection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static String stringValue(PostgresExtension pg, String sql) {
        try (Connection connection = pg.connection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Advisory locks the library holds right now in this database. */
    public static long libraryLocksHeld(PostgresExtension pg) {
        return longValue(pg, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND classid = " + AybMatviews.DEFAULT_LOCK_NAMESPACE + " AND objsubid = 2"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    }

    /** Polls a condition that another thread or backend will make true; fails after ten seconds. */
    public static void await(String what, BooleanSupplier condition) {
        await(what, condition, Duration.ofSeconds(10));
    }

    public static void await(String what, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
