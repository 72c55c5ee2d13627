package dev.ayb.matviews.jdbc.swap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The swap refresh on a real server, over pools with either autocommit setting and with either advisory lock mode:
 * what the view holds and how the catalog describes it after a swap, who may read it meanwhile, and what is left
 * when a swap fails or its backend is killed at each step.
 */
@ParameterizedClass(name = "pool autoCommit={0}, lock mode {1}")
@CsvSource({"true, SESSION", "false, SESSION", "true, TRANSACTION", "false, TRANSACTION"})
class SwapRefreshTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final QualifiedName LEADERBOARD = QualifiedName.parse("public.leaderboard");
    private static final QualifiedName SLOW = QualifiedName.parse("public.slow_totals");
    /** How long building {@link #SLOW} takes: long enough to catch a swap in its build, or a reader blocked by it. */
    private static final double SLOW_BUILD_SECONDS = 1.5;
    /** The switch's statement that waits for readers, as pg_stat_activity shows it (a LIKE pattern). */
    private static final String SWITCH_WAITING = "ALTER MATERIALIZED VIEW \"public\".% RENAME TO %";

    @Parameter(0)
    boolean autoCommit;
    @Parameter(1)
    AdvisoryLockMode lockMode;

    private AybMatviews matviews;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        PG.execute("DO $$ BEGIN IF to_regrole('ayb_swap_reader') IS NULL THEN CREATE ROLE ayb_swap_reader; END IF;"
                        + " IF to_regrole('ayb_swap_owner') IS NULL THEN CREATE ROLE ayb_swap_owner; END IF; END $$",
                "GRANT ayb_swap_owner TO CURRENT_USER",
                "GRANT CREATE ON SCHEMA public TO ayb_swap_owner",
                "CREATE MATERIALIZED VIEW slow_totals AS SELECT u.id, u.name, s.pause"
                        + " FROM users u, (SELECT pg_sleep(" + SLOW_BUILD_SECONDS + ")::text AS pause) s",
                "CREATE INDEX slow_totals_id_idx ON slow_totals (id)");
        matviews = instance();
    }

    private AybMatviews instance() {
        return AybMatviews.builder().dataSource(PG.newDataSource(4, autoCommit)).lockMode(lockMode).build();
    }

    @Test
    void contentsAreTheQuerysResultAndTheCatalogSaysNothingElseChanged() {
        PG.execute("CREATE INDEX leaderboard_minutes_idx ON leaderboard (total_minutes DESC) WITH (fillfactor = 70)"
                        + " WHERE total_minutes > 0",
                "CREATE INDEX \"Leaderboard Name\" ON leaderboard (lower(name)) INCLUDE (id)",
                "ALTER MATERIALIZED VIEW leaderboard CLUSTER ON \"Leaderboard Name\"",
                "ALTER MATERIALIZED VIEW leaderboard SET (fillfactor = 80, autovacuum_enabled = false)",
                "ALTER MATERIALIZED VIEW leaderboard OWNER TO ayb_swap_owner",
                "REVOKE ALL ON leaderboard FROM PUBLIC",
                "GRANT SELECT ON leaderboard TO ayb_swap_reader WITH GRANT OPTION",
                "GRANT SELECT (name) ON leaderboard TO PUBLIC",
                "COMMENT ON MATERIALIZED VIEW leaderboard IS 'who trained most, it''s public'",
                "COMMENT ON COLUMN leaderboard.total_minutes IS 'minutes, summed'",
                "COMMENT ON INDEX \"Leaderboard Name\" IS 'for the search box'",
                // A default privilege of the schema gives a view created now a grant the live one does not have.
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT UPDATE ON TABLES TO ayb_swap_reader",
                "INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        Registration registration = matviews.registry().register(LEADERBOARD, RefreshMode.SWAP);
        List<String> before = catalog("leaderboard");
        long oidBefore = oid("leaderboard");

        matviews.refreshes().refresh("public.leaderboard");

        assertThat(oid("leaderboard")).isNotEqualTo(oidBefore);
        assertThat(catalog("leaderboard")).isEqualTo(before);
        assertThat(rows("SELECT * FROM leaderboard ORDER BY id")).isEqualTo(rows(
                "SELECT u.id, u.name, COUNT(w.id), SUM(w.duration_minutes) FROM users u JOIN workouts w"
                        + " ON w.user_id = u.id GROUP BY u.id, u.name ORDER BY u.id"));
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
        assertNoTemporaryView();
        Registration after = matviews.registry().get("public.leaderboard");
        assertThat(after.id()).isEqualTo(registration.id());
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        List<RefreshRun> history = matviews.registry().history("public.leaderboard", 5);
        assertThat(history).first().satisfies(run -> {
            assertThat(run.refreshMode()).isEqualTo(RefreshMode.SWAP);
            assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS);
        });
        PG.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE UPDATE ON TABLES FROM ayb_swap_reader");
    }

    @Test
    void aViewThatOthersDependOnIsRefusedWithTheirNamesAndLeftAsItWas() {
        PG.execute("CREATE VIEW top_users AS SELECT name FROM leaderboard WHERE total_minutes > 10",
                "CREATE MATERIALIZED VIEW leaderboard_names AS SELECT name FROM leaderboard");
        matviews.registry().register(LEADERBOARD, RefreshMode.SWAP);
        long oidBefore = oid("leaderboard");

        assertThatThrownBy(() -> matviews.refreshes().refresh("public.leaderboard"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SWAP_BLOCKED_BY_DEPENDANTS);
                    assertThat(e.code().httpStatus()).isEqualTo(409);
                    assertThat(e.getMessage()).isEqualTo("swap refresh is refused while other views depend on the"
                            + " materialized view: public.leaderboard_names, public.top_users");
                });

        assertThat(oid("leaderboard")).isEqualTo(oidBefore);
        assertNoTemporaryView();
        assertThat(matviews.registry().get("public.leaderboard").lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(matviews.registry().discover()).filteredOn(view -> view.viewName().equals("leaderboard"))
                .singleElement().satisfies(view -> {
                    assertThat(view.dependants()).containsExactly("public.leaderboard_names", "public.top_users");
                    assertThat(view.refreshModes()).containsExactly(RefreshMode.STANDARD, RefreshMode.CONCURRENT);
                    assertThat(view.swapRefreshBlocker()).hasValueSatisfying(why -> assertThat(why)
                            .endsWith(": public.leaderboard_names, public.top_users"));
                });
    }

    @Test
    void readersCarryOnDuringTheBuildAndWaitOnlyForTheSwitch() throws Exception {
        matviews.registry().register(SLOW, RefreshMode.SWAP);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicLong slowestNanos = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (Connection connection = PG.connection(); Statement statement = connection.createStatement()) {
                while (reading.get()) {
                    long start = System.nanoTime();
                    try (ResultSet row = statement.executeQuery("SELECT count(*) FROM slow_totals WHERE id > 0")) {
                        row.next();
                        assertThat(row.getLong(1)).isEqualTo(2);
                    }
                    slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    reads.incrementAndGet();
                }
            } catch (Throwable e) {
                readFailure.set(e);
            }
        });
        Await.until("the reader to read", () -> reads.get() > 0);

        long start = System.nanoTime();
        matviews.refreshes().refresh("public.slow_totals");
        long swapMillis = (System.nanoTime() - start) / 1_000_000;
        reading.set(false);
        reader.get(30, TimeUnit.SECONDS);

        assertThat(readFailure.get()).isNull();
        assertThat(swapMillis).isGreaterThanOrEqualTo((long) (SLOW_BUILD_SECONDS * 1000));
        // A standard refresh would hold every read for the whole build; the swap holds them for its switch only.
        assertThat(slowestNanos.get() / 1_000_000).isLessThan(swapMillis / 2);
        assertNoTemporaryView();
    }

    @Test
    void aBackendKilledDuringTheBuildLeavesTheLiveViewAndNothingElse() throws Exception {
        matviews.registry().register(SLOW, RefreshMode.SWAP);
        long oidBefore = oid("slow_totals");
        CompletableFuture<Void> swap = CompletableFuture.runAsync(() -> matviews.refreshes().refresh("public.slow_totals"));
        Await.until("the swap to build", () -> backends("CREATE MATERIALIZED VIEW%") > 0);

        PG.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND query LIKE 'CREATE MATERIALIZED VIEW%'");

        assertThatThrownBy(() -> swap.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(MatviewException.class);
        assertThat(oid("slow_totals")).isEqualTo(oidBefore);
        assertNoTemporaryView();
        assertThat(PG.queryLong("SELECT count(*) FROM slow_totals")).isEqualTo(2);
        matviews.refreshes().refresh("public.slow_totals");
        assertThat(oid("slow_totals")).isNotEqualTo(oidBefore);
    }

    @Test
    void aBackendKilledDuringTheSwitchLeavesTheLiveViewAndTheNextSwapCleansUp() throws Exception {
        matviews.registry().register(LEADERBOARD, RefreshMode.SWAP, RefreshTimeouts.of(Duration.ofSeconds(20), null));
        long oidBefore = oid("leaderboard");
        try (Connection reader = PG.connection()) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM leaderboard").close();
            }
            CompletableFuture<Void> swap = CompletableFuture.runAsync(() -> matviews.refreshes().refresh("public.leaderboard"));
            // The switch's first statement renames the live view out of the way: that is what waits.
            Await.until("the switch to wait for the reader", () -> backends(SWITCH_WAITING) > 0);
            // While it waits, the swap holds the new object id's lock beside the old one's: a refresh that read the
            // name after the switch would find it locked too.
            assertThat(PG.queryLong("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = "
                    + PostgresExtension.LIBRARY_LOCK_NAMESPACE + " AND a.query LIKE '" + SWITCH_WAITING + "'"))
                    .isEqualTo(2);

            PG.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND query LIKE '" + SWITCH_WAITING + "'");

            assertThatThrownBy(() -> swap.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(MatviewException.class);
            reader.rollback();
        }
        assertThat(oid("leaderboard")).isEqualTo(oidBefore);
        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).isEqualTo(2);
        // Session mode committed the build before its switch: the built view is left for the next swap.
        assertThat(PG.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'leaderboard\\_\\_ayb\\_swap%'"))
                .isEqualTo(lockMode == AdvisoryLockMode.SESSION ? 2 : 0);

        matviews.refreshes().refresh("public.leaderboard");

        assertThat(oid("leaderboard")).isNotEqualTo(oidBefore);
        assertNoTemporaryView();
        assertThat(PG.queryLong("SELECT count(*) FROM pg_matviews WHERE matviewname = 'leaderboard'")).isEqualTo(1);
    }

    @Test
    void anObjectOfTheUsersUnderTheBuildNameIsNeverTakenForALeftover() {
        matviews.registry().register(LEADERBOARD, RefreshMode.SWAP);
        long oidBefore = oid("leaderboard");
        PG.execute("CREATE MATERIALIZED VIEW leaderboard__ayb_swap AS SELECT 42 AS mine");

        assertThatThrownBy(() -> matviews.refreshes().refresh("public.leaderboard"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SWAP_NAME_TAKEN);
                    assertThat(e.getMessage()).contains("\"public\".\"leaderboard__ayb_swap\"", "rename or drop it");
                });

        assertThat(PG.queryLong("SELECT mine FROM leaderboard__ayb_swap")).isEqualTo(42);
        assertThat(oid("leaderboard")).isEqualTo(oidBefore);
        PG.execute("DROP MATERIALIZED VIEW leaderboard__ayb_swap");
        matviews.refreshes().refresh("public.leaderboard");
        assertThat(oid("leaderboard")).isNotEqualTo(oidBefore);
        assertNoTemporaryView();
    }

    @Test
    void aSwitchThatCannotLockTheViewIsTriedAgainThenFailsClearlyLeavingTheViewAsItWas() throws Exception {
        matviews.registry().register(LEADERBOARD, RefreshMode.SWAP, RefreshTimeouts.of(Duration.ofMillis(100), null));
        long oidBefore = oid("leaderboard");
        try (Connection reader = PG.connection()) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM leaderboard").close();
            }
            assertThatThrownBy(() -> matviews.refreshes().refresh("public.leaderboard"))
                    .isInstanceOfSatisfying(MatviewException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_LOCK_TIMEOUT);
                        assertThat(e.getMessage()).isEqualTo("swap of public.leaderboard could not lock the view"
                                + " within 100 ms in 3 attempts; the view is unchanged");
                    });
            reader.rollback();
        }
        assertThat(oid("leaderboard")).isEqualTo(oidBefore);
        assertNoTemporaryView();
        assertThat(PG.queryString("SHOW lock_timeout")).isEqualTo("0");
    }

    @Test
    void twoInstancesRacing_oneSwapsTheOtherIsToldARefreshIsInProgress() throws Exception {
        matviews.registry().register(SLOW, RefreshMode.SWAP);
        AybMatviews other = instance();
        long oidBefore = oid("slow_totals");
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> matviews.refreshes().refresh("public.slow_totals"));
        Await.until("the first swap to build", () -> backends("CREATE MATERIALIZED VIEW%") > 0);

        assertThatThrownBy(() -> other.refreshes().refresh("public.slow_totals"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_IN_PROGRESS);
                    assertThat(e.getMessage()).isEqualTo("refresh already in progress");
                });

        first.get(30, TimeUnit.SECONDS);
        assertThat(oid("slow_totals")).isNotEqualTo(oidBefore);
        other.refreshes().refresh("public.slow_totals"); // free again once the first recorded its run
    }

    @Test
    void aViewReplacedWhileTheSwapBuiltIsLeftAsItWasReplaced() throws Exception {
        // Session mode reads the view without holding a lock on it while it builds; the other mode's single
        // transaction would make the replacement wait for the swap instead.
        assumeTrue(lockMode == AdvisoryLockMode.SESSION);
        matviews.registry().register(SLOW, RefreshMode.SWAP);
        CompletableFuture<Void> swap = CompletableFuture.runAsync(() -> matviews.refreshes().refresh("public.slow_totals"));
        Await.until("the swap to build", () -> backends("CREATE MATERIALIZED VIEW%") > 0);

        PG.execute("DROP MATERIALIZED VIEW slow_totals",
                "CREATE MATERIALIZED VIEW slow_totals AS SELECT id, 'replaced' AS name FROM users");
        long replaced = oid("slow_totals");

        assertThatThrownBy(() -> swap.get(30, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(
                MatviewException.class, e -> assertThat(e.getMessage()).isEqualTo("swap of public.slow_totals stopped:"
                        + " the view was replaced while the swap built its copy; the view is unchanged"));
        assertThat(oid("slow_totals")).isEqualTo(replaced);
        assertThat(PG.queryString("SELECT name FROM slow_totals LIMIT 1")).isEqualTo("replaced");
        assertNoTemporaryView();
    }

    @Test
    void changeTrackingContinuesAcrossSwaps() {
        matviews.registry().register(LEADERBOARD, RefreshMode.SWAP, RefreshTimeouts.NONE, true);
        matviews.refreshes().refresh("public.leaderboard");
        assertThat(matviews.freshness().of("public.leaderboard").state()).isEqualTo(Freshness.State.CURRENT);

        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 5)");
        assertThat(matviews.freshness().of("public.leaderboard").state()).isEqualTo(Freshness.State.BEHIND);

        matviews.refreshes().refresh("public.leaderboard");
        assertThat(matviews.freshness().of("public.leaderboard").state()).isEqualTo(Freshness.State.CURRENT);
        assertThat(matviews.refreshes().refresh("public.leaderboard", true).skipped()).isTrue();
        PG.execute("UPDATE users SET name = 'ann b' WHERE id = 1");
        assertThat(matviews.freshness().of("public.leaderboard").state()).isEqualTo(Freshness.State.BEHIND);
    }

    @Test
    void aLongViewNameKeepsItsSwapNamesWithinPostgresLimit() {
        String name = "v".repeat(60);
        PG.execute("CREATE MATERIALIZED VIEW " + name + " AS SELECT id FROM users",
                "CREATE INDEX " + name.substring(0, 50) + "_idx ON " + name + " (id)");
        matviews.registry().register(QualifiedName.of("public", name), RefreshMode.SWAP);
        List<String> before = catalog(name);

        matviews.refreshes().refresh("public." + name);
        matviews.refreshes().refresh("public." + name);

        assertThat(catalog(name)).isEqualTo(before);
        assertNoTemporaryView();
    }

    private static long backends(String queryLike) {
        return PG.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND pid <> pg_backend_pid() AND query LIKE '" + queryLike + "'");
    }

    private static long oid(String view) {
        return PG.queryLong("SELECT oid FROM pg_class WHERE relname = '" + view + "' AND relkind = 'm'");
    }

    private static void assertNoTemporaryView() {
        assertThat(PG.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_\\_ayb\\_swap%'")).isZero();
    }

    /** Everything the catalog says about the view that a swap must keep, one line per fact. */
    private static List<String> catalog(String view) {
        String oid = "'public.\"" + view + "\"'::regclass";
        return rows("SELECT line FROM ("
                + " SELECT 'owner ' || c.relowner::regrole AS line FROM pg_class c WHERE c.oid = " + oid
                + " UNION ALL SELECT 'acl ' || e.grantee::regrole || ' ' || e.privilege_type || ' ' || e.is_grantable"
                + " || ' by ' || e.grantor::regrole"
                + " FROM pg_class c, aclexplode(COALESCE(c.relacl, acldefault('r', c.relowner))) e WHERE c.oid = " + oid
                + " UNION ALL SELECT 'relation ' || concat_ws(' ', c.reloptions::text, c.reltablespace, c.relam,"
                + " c.relispopulated, c.relpersistence, obj_description(c.oid, 'pg_class'))"
                + " FROM pg_class c WHERE c.oid = " + oid
                + " UNION ALL SELECT 'definition ' || pg_get_viewdef(" + oid + ", true)"
                + " UNION ALL SELECT 'column ' || concat_ws(' ', a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),"
                + " a.attnotnull, a.attacl::text, col_description(a.attrelid, a.attnum))"
                + " FROM pg_attribute a WHERE a.attrelid = " + oid + " AND a.attnum > 0"
                + " UNION ALL SELECT 'index ' || concat_ws(' ', pg_get_indexdef(i.indexrelid), i.indisclustered,"
                + " i.indisvalid, ic.reltablespace, obj_description(i.indexrelid, 'pg_class'))"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = " + oid
                + ") facts ORDER BY line");
    }

    private static List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : " | ").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return rows;
    }
}
