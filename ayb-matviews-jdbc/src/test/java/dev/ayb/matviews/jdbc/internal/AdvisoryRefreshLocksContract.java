package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.support.LibrarySchema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.spi.LockAttempt;
import dev.ayb.matviews.spi.RefreshLocks;
import dev.ayb.matviews.spi.RefreshSession;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.contract.RefreshLocksContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;

/**
 * The refresh locks contract on PostgreSQL advisory locks, run once per lock mode by its subclasses (plus what
 * tells the modes apart), over pools that commit themselves and pools that do not. Each {@link #newLocks()} plays another application instance
 * on a pool of one connection, so the settings read after a refresh are those of the very connection the
 * refresh ran on.
 */
abstract class AdvisoryRefreshLocksContract extends RefreshLocksContract {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Parameter
    boolean autoCommit;

    /** Three one-connection pools, taken in turn, so three instances in a row never share a connection. */
    private final List<DataSource> pools = new ArrayList<>();
    private final Map<RefreshLocks, DataSource> poolOf = new IdentityHashMap<>();
    private JdbcRegistrationStore store;

    /** Whether the locks are transaction locks (TRANSACTION mode) rather than session locks (SESSION mode). */
    abstract boolean transactional();

    @BeforeEach
    void createTheViews() {
        SampleSchema.create(PG);
        PG.execute("CREATE MATERIALIZED VIEW totals AS SELECT user_id, SUM(duration_minutes) AS minutes"
                        + " FROM workouts GROUP BY user_id",
                "CREATE UNIQUE INDEX totals_user_idx ON totals (user_id)");
        LibrarySchema schema = new LibrarySchema(AybMatviews.DEFAULT_SCHEMA);
        new SchemaMigrator(PG.dataSource(autoCommit), schema, AybMatviews.DEFAULT_LOCK_NAMESPACE).migrate();
        store = new JdbcRegistrationStore(PG.dataSource(autoCommit), schema, AybMatviews.DEFAULT_HISTORY_RETENTION);
        for (int i = 0; i < 3; i++) {
            pools.add(PG.newDataSource(1, autoCommit));
        }
    }

    @AfterEach
    void closeThePools() throws Exception {
        for (DataSource pool : pools) {
            ((AutoCloseable) pool).close();
        }
    }

    /**
     * What the two modes differ in: with a transaction lock the REFRESH commits with its record or not at all,
     * so a session closed unrecorded undoes it; with a session lock the REFRESH stays done.
     */
    @Test
    void aRefreshClosedWithoutItsRecordStaysDoneOnlyUnderASessionLock() {
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        LockAttempt attempt = newLocks().tryLock(view(), RefreshMode.STANDARD, RefreshTimeouts.NONE);

        try (RefreshSession session = assertInstanceOf(LockAttempt.Acquired.class, attempt).session()) {
            session.refresh();
            assertEquals(!transactional(), session.refreshOutlivesFailedRecord());
        }

        // Bob had 20 minutes in the seed; the refresh saw his new 100.
        assertEquals(transactional() ? 20 : 120, PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2"));
        assertEquals(0, locksHeld());
    }

    @Override
    protected RefreshLocks newLocks() {
        DataSource pool = pools.get(poolOf.size() % pools.size());
        RefreshLocks locks = new AdvisoryRefreshLocks(pool, store, AybMatviews.DEFAULT_LOCK_NAMESPACE,
                transactional());
        poolOf.put(locks, pool);
        return locks;
    }

    @Override
    protected RegistrationStore store() {
        return store;
    }

    @Override
    protected QualifiedName view() {
        return QualifiedName.of("public", "leaderboard");
    }

    @Override
    protected QualifiedName otherView() {
        return QualifiedName.of("public", "totals");
    }

    @Override
    protected long locksHeld() {
        return PG.libraryLocksHeld();
    }

    /** The timeouts a refresh sets and the autocommit a transaction lock switches off. */
    @Override
    protected Object sessionSettings(RefreshLocks locks) {
        try (Connection connection = poolOf.get(locks).getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('lock_timeout'),"
                     + " current_setting('statement_timeout')")) {
            row.next();
            String settings = "lock_timeout=" + row.getString(1) + " statement_timeout=" + row.getString(2)
                    + " autoCommit=" + connection.getAutoCommit();
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return settings;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
