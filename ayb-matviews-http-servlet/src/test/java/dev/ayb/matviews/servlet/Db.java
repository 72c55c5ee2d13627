package dev.ayb.matviews.servlet;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small SQL helpers for assertions, and waiting on conditions instead of sleeping on a guess. */
final class Db {
    private Db() {
    }

    static long longValue(PostgresExtension pg, String sql) {
        try (Connection connection = pg.connection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Refresh locks the library holds right now in this database. */
    static long libraryLocksHeld(PostgresExtension pg) {
        return longValue(pg, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND classid = " + AybMatviews.DEFAULT_LOCK_NAMESPACE + " AND objsubid = 2"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
    }

    /** Backends waiting for a lock on a table or view. */
    static long backendsWaitingOnRelations(PostgresExtension pg) {
        return longValue(pg, "SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'relation'");
    }

    /** Polls a condition another thread or backend will make true; fails after ten seconds. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
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
