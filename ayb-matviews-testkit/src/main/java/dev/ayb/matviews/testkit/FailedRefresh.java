package dev.ayb.matviews.testkit;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A refresh through the library that really fails, in either refresh mode: another transaction holds a table
 * the view reads locked while the refresh, given a short lock timeout for the occasion, waits for it (as in
 * {@link BlockedRefresh}; PostgreSQL cannot lock a materialized view itself). PostgreSQL rolls the
 * refresh back and the library records the failure, which is what tests of "a failed refresh changes nothing
 * the readers see" need. The view's own timeouts are put back afterwards.
 */
public final class FailedRefresh {
    private static final Duration LOCK_TIMEOUT = Duration.ofMillis(100);

    private FailedRefresh() {
    }

    /**
     * @param view  a registered view, as {@code schema.view}
     * @param table a table the view reads, as {@code schema.table}
     * @return the refresh's failure; the registration then records it ({@link RefreshStatus#ERROR})
     */
    public static MatviewException run(PostgresExtension pg, MatviewRegistry registry, RefreshService refreshes,
                                       String view, String table) {
        String lock = "LOCK TABLE " + QualifiedName.parse(table).quoted() + " IN ACCESS EXCLUSIVE MODE";
        Registration before = registry.get(view);
        registry.updateTimeouts(view, RefreshTimeouts.of(LOCK_TIMEOUT, null));
        try (Connection holder = pg.connection(); Statement statement = holder.createStatement()) {
            holder.setAutoCommit(false);
            statement.execute(lock);
            try {
                refreshes.refresh(view);
            } catch (MatviewException failure) {
                return recorded(registry, view, failure);
            } finally {
                holder.rollback();
            }
            throw new AssertionError("the refresh of " + view + " succeeded while the view was locked");
        } catch (SQLException e) {
            throw new IllegalStateException("could not lock " + table, e);
        } finally {
            registry.updateTimeouts(view, before.timeouts());
        }
    }

    private static MatviewException recorded(MatviewRegistry registry, String view, MatviewException failure) {
        RefreshStatus status = registry.get(view).lastRefreshStatus();
        if (status != RefreshStatus.ERROR) {
            throw new AssertionError("the failed refresh of " + view + " was recorded as " + status, failure);
        }
        return failure;
    }
}
