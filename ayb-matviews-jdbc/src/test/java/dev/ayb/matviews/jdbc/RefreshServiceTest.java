package dev.ayb.matviews.jdbc;

import static dev.ayb.matviews.jdbc.MatviewRegistryTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.testkit.Pools;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class RefreshServiceTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The suite runs over pools with either setting; false is the Spring/JPA default. */
    @Parameter
    boolean autoCommit;

    private static final Instant NOW = Instant.parse("2026-02-22T10:00:00Z");

    private AybMatviews matviews;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        matviews = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    @Test
    void standardRefreshReallyChangesTheData() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(20);

        matviews.refreshes().refresh("public.leaderboard");

        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
    }

    @Test
    void concurrentRefreshWithAUniqueIndexChangesTheData() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT);
        PG.execute("INSERT INTO users VALUES (3, 'cy')",
                "INSERT INTO workouts (user_id, duration_minutes) VALUES (3, 5)");

        matviews.refreshes().refresh("leaderboard");

        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).isEqualTo(3);
    }

    @Test
    void successIsRecordedAndTheResultShowsTheRegistrationAfterTheRefresh() {
        Registration registered = matviews.registry().register(QualifiedName.parse("public.leaderboard"));

        RefreshResult result = matviews.refreshes().refresh(ViewRef.of(registered.id()));

        Registration after = result.registration();
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(after.lastRefreshAt()).isEqualTo(NOW);
        assertThat(after.lastRefreshDurationMs()).isEqualTo(result.durationMs()).isNotNegative();
        assertThat(after.lastRefreshError()).isNull();
        assertThat(matviews.registry().get(ViewRef.of(registered.id()))).isEqualTo(after);
    }

    @Test
    void aFailureInsidePostgresIsRecordedWithItsMessageAndSqlState() {
        PG.execute("CREATE TABLE ratios (a int, b int)", "INSERT INTO ratios VALUES (1, 1)",
                "CREATE MATERIALIZED VIEW ratio_view AS SELECT a / b AS r FROM ratios");
        matviews.registry().register(QualifiedName.parse("public.ratio_view"));
        PG.execute("INSERT INTO ratios VALUES (1, 0)");

        assertThatThrownBy(() -> matviews.refreshes().refresh("public.ratio_view"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_FAILED);
                    assertThat(e.getMessage()).isEqualTo("refresh of public.ratio_view failed: division by zero");
                    assertThat(e.sqlState()).contains("22012");
                    assertThat(e.view()).contains(QualifiedName.parse("public.ratio_view"));
                });
        Registration after = matviews.registry().get("public.ratio_view");
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(after.lastRefreshError()).contains("division by zero");
        assertThat(after.lastRefreshAt()).isEqualTo(NOW);

        PG.execute("DELETE FROM ratios WHERE b = 0");
        Registration recovered = matviews.refreshes().refresh("public.ratio_view").registration();
        assertThat(recovered.lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(recovered.lastRefreshError()).isNull();
    }

    @Test
    void concurrentRefreshWithoutAnIndexIsRefusedAndRecorded() {
        PG.execute("CREATE MATERIALIZED VIEW no_index AS SELECT id FROM users");
        matviews.registry().register(QualifiedName.parse("public.no_index"), RefreshMode.CONCURRENT);

        assertCode(() -> matviews.refreshes().refresh("public.no_index"), ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX);
        assertThat(matviews.registry().get("public.no_index").lastRefreshError())
                .isEqualTo("concurrent refresh requires a unique index on the materialized view");
    }

    @Test
    void concurrentRefreshOfAViewCreatedWithNoDataIsRefusedUntilAStandardRefresh() {
        PG.execute("CREATE MATERIALIZED VIEW restored AS SELECT id, name FROM users WITH NO DATA",
                "CREATE UNIQUE INDEX ON restored (id)");
        matviews.registry().register(QualifiedName.parse("public.restored"), RefreshMode.CONCURRENT);

        assertCode(() -> matviews.refreshes().refresh("public.restored"), ErrorCode.CONCURRENT_REQUIRES_POPULATED);

        matviews.registry().updateMode("public.restored", RefreshMode.STANDARD);
        matviews.refreshes().refresh("public.restored");
        matviews.registry().updateMode("public.restored", RefreshMode.CONCURRENT);
        assertThat(matviews.refreshes().refresh("public.restored").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void anUnpopulatedConcurrentViewSaysHowToPopulateItAndOneStandardRefreshDoesWithoutChangingTheMode() {
        PG.execute("CREATE MATERIALIZED VIEW restored AS SELECT id, name FROM users WITH NO DATA",
                "CREATE UNIQUE INDEX ON restored (id)");
        matviews.registry().register(QualifiedName.parse("public.restored"), RefreshMode.CONCURRENT);

        assertThatThrownBy(() -> matviews.refreshes().refresh("public.restored")).isInstanceOfSatisfying(
                MatviewException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("concurrent refresh requires a populated materialized view");
                    assertThat(e.viewName()).contains("restored");
                    assertThat(e.hint()).hasValueSatisfying(hint -> assertThat(hint).contains("mode=standard")
                            .contains("--mode standard"));
                });

        RefreshResult populated = matviews.refreshes().refresh("public.restored", RefreshMode.STANDARD);

        assertThat(populated.registration().refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
        assertThat(populated.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(PG.queryLong("SELECT count(*) FROM restored")).isEqualTo(2);
        assertThat(matviews.registry().history("public.restored", 1)).singleElement()
                .satisfies(run -> assertThat(run.refreshMode()).isEqualTo(RefreshMode.STANDARD));
        assertThat(matviews.refreshes().refresh("public.restored").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
        assertThat(matviews.registry().history("public.restored", 1)).singleElement()
                .satisfies(run -> assertThat(run.refreshMode()).isEqualTo(RefreshMode.CONCURRENT));
    }

    @Test
    void concurrentRefreshOfDuplicateRowsKeepsPostgresMessage() {
        PG.execute("CREATE TABLE codes (code text, label text)", "INSERT INTO codes VALUES ('a', 'x')",
                "CREATE MATERIALIZED VIEW code_view AS SELECT code, label FROM codes",
                "CREATE UNIQUE INDEX ON code_view (code)");
        matviews.registry().register(QualifiedName.parse("public.code_view"), RefreshMode.CONCURRENT);
        PG.execute("INSERT INTO codes VALUES ('a', 'x')");

        assertThatThrownBy(() -> matviews.refreshes().refresh("public.code_view"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_DUPLICATE_ROWS);
                    assertThat(e.sqlState()).contains("21000");
                    assertThat(e.getMessage()).startsWith("refresh of public.code_view failed: ")
                            .contains("duplicate rows");
                });
    }

    @Test
    void aViewDroppedAfterRegistrationIsReportedAndRecorded() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        PG.execute("DROP MATERIALIZED VIEW leaderboard");

        assertCode(() -> matviews.refreshes().refresh("public.leaderboard"), ErrorCode.VIEW_NO_LONGER_EXISTS);
        Registration after = matviews.registry().get("public.leaderboard");
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(after.lastRefreshError()).isEqualTo("materialized view no longer exists in database");
    }

    @Test
    void aViewReplacedByATableIsNoLongerAMaterializedView() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        PG.execute("DROP MATERIALIZED VIEW leaderboard", "CREATE TABLE leaderboard (id int)");

        assertCode(() -> matviews.refreshes().refresh("public.leaderboard"), ErrorCode.VIEW_NO_LONGER_EXISTS);
    }

    @Test
    void refreshingAnUnknownRegistrationIsNotFound() {
        assertCode(() -> matviews.refreshes().refresh(ViewRef.of(UUID.randomUUID())), ErrorCode.REGISTRATION_NOT_FOUND);
        assertCode(() -> matviews.refreshes().refresh("public.leaderboard"), ErrorCode.REGISTRATION_NOT_FOUND);
    }

    @Test
    void refreshNeedsOwnershipOfTheView() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        PG.execute("DROP ROLE IF EXISTS ayb_reader", "CREATE ROLE ayb_reader",
                "GRANT USAGE ON SCHEMA ayb, public TO ayb_reader",
                "GRANT SELECT, UPDATE, INSERT, DELETE ON ALL TABLES IN SCHEMA ayb TO ayb_reader");
        try (HikariDataSource readerPool = Pools.pool(PG, 2, "SET ROLE ayb_reader")) {
            AybMatviews asReader = AybMatviews.builder().dataSource(readerPool).migrate(false).build();
            assertThatThrownBy(() -> asReader.refreshes().refresh("public.leaderboard"))
                    .isInstanceOfSatisfying(MatviewException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_PERMISSION_DENIED);
                        assertThat(e.sqlState()).contains("42501");
                        assertThat(e.getMessage()).startsWith("refresh of public.leaderboard failed: ")
                                .contains("leaderboard");
                    });
        } finally {
            PG.execute("DROP OWNED BY ayb_reader", "DROP ROLE ayb_reader");
        }
    }

    @Test
    void historyKeepsEveryRunNewestFirstWithItsTrigger() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        matviews.refreshes().refresh(ViewRef.parse("leaderboard"), RefreshTrigger.HTTP);
        PG.execute("DROP MATERIALIZED VIEW leaderboard");
        assertThatThrownBy(() -> matviews.refreshes().refresh(ViewRef.parse("leaderboard"), RefreshTrigger.SCHEDULE))
                .isInstanceOf(MatviewException.class);

        List<RefreshRun> history = matviews.registry().history(ViewRef.parse("leaderboard"), 10);

        assertThat(history).extracting(RefreshRun::status).containsExactly(RefreshStatus.ERROR, RefreshStatus.SUCCESS);
        assertThat(history).extracting(RefreshRun::trigger).containsExactly(RefreshTrigger.SCHEDULE, RefreshTrigger.HTTP);
        assertThat(history.get(0).error()).isEqualTo("materialized view no longer exists in database");
        assertThat(history.get(1).refreshMode()).isEqualTo(RefreshMode.STANDARD);
        assertThat(history.get(1).startedAt()).isEqualTo(NOW);
    }

    /**
     * Run ids are read from the table right after each refresh, so "newest" is what PostgreSQL stored last,
     * not what the library says; keeping the oldest runs, or pruning another view's, would fail here.
     */
    @Test
    void historyKeepsExactlyTheNewestRunsOfEachViewAndLeavesOtherViewsAlone() {
        PG.execute("CREATE MATERIALIZED VIEW workout_totals AS"
                + " SELECT user_id, sum(duration_minutes) AS total FROM workouts GROUP BY user_id");
        AybMatviews keepsThree = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).historyRetention(3).build();
        keepsThree.registry().register(QualifiedName.parse("public.leaderboard"));
        keepsThree.registry().register(QualifiedName.parse("public.workout_totals"));
        List<Long> otherRuns = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            keepsThree.refreshes().refresh("workout_totals");
            otherRuns.add(newestRunId("workout_totals"));
        }
        List<Long> leaderboardRuns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keepsThree.refreshes().refresh("leaderboard");
            leaderboardRuns.add(newestRunId("leaderboard"));
        }

        assertThat(storedRunIds("leaderboard")).isEqualTo(ids(leaderboardRuns.subList(3, 6)));
        assertThat(storedRunIds("workout_totals")).isEqualTo(ids(otherRuns));
        assertThat(keepsThree.registry().history(ViewRef.parse("leaderboard"), 100)).extracting(RefreshRun::id)
                .containsExactly(leaderboardRuns.get(5), leaderboardRuns.get(4), leaderboardRuns.get(3));
    }

    private static long newestRunId(String view) {
        return PG.queryLong("SELECT max(id) FROM ayb.matview_refresh_runs WHERE view_name = '" + view + "'");
    }

    /** The ids of the view's stored runs, ascending, as one comma-separated string. */
    private static String storedRunIds(String view) {
        return PG.queryString("SELECT string_agg(id::text, ',' ORDER BY id) FROM ayb.matview_refresh_runs"
                + " WHERE view_name = '" + view + "'");
    }

    private static String ids(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @Test
    void unregisteringRemovesTheHistoryToo() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        matviews.refreshes().refresh("leaderboard");
        matviews.registry().unregister("leaderboard");

        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_refresh_runs")).isZero();
    }

    @Test
    void listenersHearStartAndFinishAndTheirFailuresAreContained() {
        List<String> events = new CopyOnWriteArrayList<>();
        RefreshListener listener = new RefreshListener() {
            @Override
            public void refreshStarted(QualifiedName view, RefreshMode mode, RefreshTrigger trigger) {
                events.add("started " + view + " " + mode + " " + trigger);
                throw new IllegalStateException("a broken metrics hook");
            }

            @Override
            public void refreshFinished(RefreshRun run) {
                events.add("finished " + run.qualifiedName() + " " + run.status());
                throw new IllegalStateException("a broken metrics hook");
            }
        };
        AybMatviews listened = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).listener(listener).build();
        listened.registry().register(QualifiedName.parse("public.leaderboard"));

        RefreshResult result = listened.refreshes().refresh("leaderboard");

        assertThat(result.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(events).containsExactly("started public.leaderboard standard manual",
                "finished public.leaderboard success");
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    @Test
    void severalListenersAreEachToldInOrderEvenWhenAnEarlierOneThrows() {
        List<String> events = new CopyOnWriteArrayList<>();
        RefreshListener broken = new RefreshListener() {
            @Override
            public void refreshFinished(RefreshRun run) {
                events.add("broken");
                throw new IllegalStateException("a broken metrics hook");
            }
        };
        RefreshListener metrics = new RefreshListener() {
            @Override
            public void refreshFinished(RefreshRun run) {
                events.add("metrics " + run.status());
            }
        };
        RefreshListener audit = new RefreshListener() {
            @Override
            public void refreshFinished(RefreshRun run) {
                events.add("audit " + run.qualifiedName());
            }
        };
        AybMatviews listened = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).listener(broken)
                .listeners(metrics, audit).build();
        listened.registry().register(QualifiedName.parse("public.leaderboard"));

        listened.refreshes().refresh("leaderboard");

        assertThat(events).containsExactly("broken", "metrics success", "audit public.leaderboard");
    }

    @Test
    void migrationsAreIdempotentAndRunOncePerVersion() {
        AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).build();
        AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).build();

        assertThat(PG.queryLong("SELECT count(*) FROM ayb.schema_history")).isEqualTo(SchemaMigrator.MIGRATIONS.size());
    }

    @Test
    void theLibrarySchemaIsConfigurable() {
        AybMatviews custom = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).schema("matview_admin").build();
        try {
            custom.registry().register(QualifiedName.parse("public.leaderboard"));
            custom.refreshes().refresh("leaderboard");

            assertThat(PG.queryLong("SELECT count(*) FROM matview_admin.matview_refresh_runs")).isEqualTo(1);
            assertThat(matviews.registry().list()).isEmpty();
        } finally {
            PG.execute("DROP SCHEMA matview_admin CASCADE");
        }
    }
}
