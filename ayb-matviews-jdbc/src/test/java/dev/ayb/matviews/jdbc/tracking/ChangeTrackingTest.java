package dev.ayb.matviews.jdbc.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.testkit.Pools;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The tracking matrix: each kind of write to each kind of source, asserting current or behind exactly, with the
 * writes captured by triggers and read from the WAL. (The sample tables have primary keys, so with
 * {@link ChangeCapture#WAL} they are published; a partitioned parent keeps its trigger either way.)
 */
@ParameterizedClass(name = "pool autoCommit={0}, capture={1}")
@MethodSource("settings")
class ChangeTrackingTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Parameter(0)
    boolean autoCommit;

    @Parameter(1)
    ChangeCapture capture;

    private AybMatviews matviews;

    static Stream<Arguments> settings() {
        return Stream.of(true, false).flatMap(autoCommit -> Stream.of(ChangeCapture.values())
                .map(capture -> Arguments.of(autoCommit, capture)));
    }

    @BeforeEach
    void createSchema() {
        dropSlots();
        PG.execute("DROP PUBLICATION IF EXISTS ayb_matviews_changes");
        SampleSchema.create(PG);
        matviews = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).changeCapture(capture).build();
    }

    private Registration track(String view) {
        return matviews.registry().register(QualifiedName.parse(view), RefreshMode.STANDARD, RefreshTimeouts.NONE,
                true);
    }

    private Freshness freshness(String view) {
        return matviews.freshness().of(view);
    }

    private void assertCurrent(String view) {
        assertThat(freshness(view)).isEqualTo(Freshness.current());
    }

    private void assertBehindForAChange(String view) {
        assertBehindForAChange(view, "after a write");
    }

    private void assertBehindForAChange(String view, String write) {
        Freshness freshness = freshness(view);
        assertThat(freshness.state()).as(write).isEqualTo(Freshness.State.BEHIND);
        assertThat(freshness.behindSince()).as("behind since a change").isNotNull();
        assertThat(freshness.reason()).isNull();
    }

    private void assertAlwaysBehind(String view, String reasonPart) {
        Freshness freshness = freshness(view);
        assertThat(freshness.state()).isEqualTo(Freshness.State.BEHIND);
        assertThat(freshness.reason()).contains(reasonPart);
    }

    /** Tracked and refreshed once: current. */
    private void trackedAndRefreshed(String view) {
        track(view);
        assertAlwaysBehind(view, "not refreshed since change tracking was turned on");
        matviews.refreshes().refresh(view);
        assertCurrent(view);
    }

    @Test
    void anUntrackedViewIsUnknown() {
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        assertThat(freshness("leaderboard")).isEqualTo(Freshness.UNTRACKED);
        assertThat(matviews.freshness().sources("leaderboard")).isEmpty();
        RefreshResult result = matviews.refreshes().refresh("leaderboard", true);
        assertThat(result.skipped()).as("untracked views always refresh").isFalse();
    }

    @Test
    void insertUpdateDeleteAndTruncateEachMakeTheViewBehind() {
        trackedAndRefreshed("leaderboard");
        for (String write : List.of("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 5)",
                "UPDATE users SET name = 'anne' WHERE id = 1",
                "DELETE FROM workouts WHERE duration_minutes = 5",
                "TRUNCATE workouts")) {
            PG.execute(write);
            assertBehindForAChange("leaderboard", write);
            matviews.refreshes().refresh("leaderboard");
            assertCurrent("leaderboard");
        }
    }

    @Test
    void copyAndInsertOnConflictAreWrites() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection connection = PG.connection()) {
            new CopyManager(connection.unwrap(BaseConnection.class))
                    .copyIn("COPY users (id, name) FROM STDIN", new StringReader("3\tcid\n"));
        }
        assertBehindForAChange("leaderboard");
        matviews.refreshes().refresh("leaderboard");
        PG.execute("INSERT INTO users VALUES (1, 'ann') ON CONFLICT (id) DO UPDATE SET name = excluded.name");
        assertBehindForAChange("leaderboard");
        matviews.refreshes().refresh("leaderboard");
        PG.execute("INSERT INTO users VALUES (1, 'ann') ON CONFLICT DO NOTHING");
        if (capture == ChangeCapture.TRIGGERS) {
            // The statement ran, so its trigger fired: behind, though no row changed (never wrongly current).
            assertBehindForAChange("leaderboard");
        } else {
            // No row changed, so the WAL holds no change of the table.
            assertCurrent("leaderboard");
            PG.execute("INSERT INTO users VALUES (2, 'bob') ON CONFLICT DO NOTHING",
                    "INSERT INTO users VALUES (5, 'eve') ON CONFLICT DO NOTHING");
            assertBehindForAChange("leaderboard");
        }
    }

    @Test
    void aWriteToAnotherTableLeavesTheViewCurrent() {
        PG.execute("CREATE TABLE unrelated (id int)");
        trackedAndRefreshed("leaderboard");
        PG.execute("INSERT INTO unrelated VALUES (1)");
        assertCurrent("leaderboard");
    }

    @Test
    void aRolledBackWriteLeavesNoMarker() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO users VALUES (9, 'zed')");
                statement.execute("TRUNCATE workouts");
            }
            assertCurrent("leaderboard");
            connection.rollback();
        }
        assertCurrent("leaderboard");
    }

    @Test
    void aWriteAfterASavepointRollbackThatUndidTheFirstMarkerRecordsItsOwn() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // The first write's marker and the setting that skips the next ones are undone together...
                statement.execute("SAVEPOINT first");
                statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 1)");
                statement.execute("ROLLBACK TO SAVEPOINT first");
                // ...so this write, the only one that commits, is not skipped.
                statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 2)");
            }
            connection.commit();
        }
        assertBehindForAChange("leaderboard");
    }

    @Test
    void aWriteBeforeASavepointKeepsItsMarkerThroughTheRollback() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 1)");
                statement.execute("SAVEPOINT later");
                statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 2)");
                statement.execute("ROLLBACK TO SAVEPOINT later");
            }
            connection.commit();
        }
        assertBehindForAChange("leaderboard");
    }

    @Test
    void manyStatementsOfOneTransactionRecordOneMarker() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (int i = 0; i < 5; i++) {
                    statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, " + i + ")");
                }
                statement.execute("UPDATE workouts SET duration_minutes = duration_minutes + 1");
            }
            connection.commit();
        }
        // Read first: changes read from the WAL become markers when freshness is asked.
        assertBehindForAChange("leaderboard");
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_change_markers"
                + " WHERE relid = 'public.workouts'::regclass")).isEqualTo(1);
    }

    @Test
    void aWriteAfterTheSettingsWereResetInTheTransactionStillSucceedsAndCounts() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 1)");
                statement.execute("RESET ALL");
                statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 2)");
            }
            connection.commit();
        }
        assertBehindForAChange("leaderboard");
        matviews.refreshes().refresh("leaderboard");
        assertCurrent("leaderboard");
    }

    @Test
    void theWritersSearchPathCannotReplaceWhatTheTriggerRuns() throws Exception {
        trackedAndRefreshed("leaderboard");
        // A current_setting that always answers "this transaction has its marker", found first on the path.
        PG.execute("CREATE SCHEMA hostile", "CREATE FUNCTION hostile.current_setting(text, boolean) RETURNS text"
                + " LANGUAGE sql AS 'SELECT pg_catalog.pg_current_xact_id()::text'");
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = hostile, pg_catalog, public");
            statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 1)");
        } finally {
            PG.execute("DROP SCHEMA hostile CASCADE");
        }
        assertBehindForAChange("leaderboard");
    }

    @Test
    void anUncommittedWriteIsNotSeenUntilItCommits() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO users VALUES (9, 'zed')");
            }
            assertCurrent("leaderboard");
            connection.commit();
        }
        assertBehindForAChange("leaderboard");
    }

    @Test
    void writesThroughAPlainViewAndASourceOfASource() {
        PG.execute("CREATE SCHEMA other",
                "CREATE TABLE other.bonus (user_id bigint, points int)",
                "CREATE VIEW other.user_bonus AS SELECT u.id, u.name, b.points FROM users u"
                        + " JOIN other.bonus b ON b.user_id = u.id",
                "CREATE VIEW public.writable_bonus AS SELECT user_id, points FROM other.bonus",
                "CREATE MATERIALIZED VIEW bonus_board AS SELECT name, sum(points) AS points FROM other.user_bonus"
                        + " GROUP BY name");
        trackedAndRefreshed("bonus_board");
        assertThat(matviews.freshness().sources("bonus_board")).extracting(SourceTable::qualifiedName)
                .containsExactly(QualifiedName.parse("other.bonus"), QualifiedName.parse("public.users"));
        PG.execute("INSERT INTO writable_bonus VALUES (1, 10)");
        assertBehindForAChange("bonus_board");
    }

    @Test
    void aMaterializedViewSourceIsTrackedThroughItsTablesAndItsRefreshes() {
        PG.execute("CREATE MATERIALIZED VIEW top_user AS SELECT name FROM leaderboard LIMIT 1");
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        trackedAndRefreshed("top_user");
        assertThat(matviews.freshness().sources("top_user")).extracting(SourceTable::tableName)
                .containsExactly("users", "workouts");
        matviews.refreshes().refresh("leaderboard");
        assertBehindForAChange("top_user");
        matviews.refreshes().refresh("top_user");
        assertCurrent("top_user");
        PG.execute("UPDATE workouts SET duration_minutes = 1");
        assertBehindForAChange("top_user");
    }

    @Test
    void partitionsWrittenDirectlyAndPartitionsAttachedLater() {
        PG.execute("CREATE TABLE events (id int, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE MATERIALIZED VIEW event_count AS SELECT count(*) AS n FROM events");
        trackedAndRefreshed("event_count");
        assertThat(matviews.freshness().sources("event_count")).containsExactly(
                new SourceTable("public", "events", false, true), new SourceTable("public", "events_2025", true, true));
        PG.execute("INSERT INTO events_2025 VALUES (1, '2025-06-01')");
        assertBehindForAChange("event_count");
        matviews.refreshes().refresh("event_count");
        PG.execute("INSERT INTO events VALUES (2, '2025-07-01')");
        assertBehindForAChange("event_count");
        matviews.refreshes().refresh("event_count");
        assertCurrent("event_count");

        PG.execute("CREATE TABLE events_2026 (id int, at date)",
                "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
        assertAlwaysBehind("event_count", "trigger missing on public.events_2026");
        assertThat(matviews.freshness().sources("event_count"))
                .contains(new SourceTable("public", "events_2026", true, false));
        matviews.refreshes().refresh("event_count");
        assertCurrent("event_count");
        PG.execute("INSERT INTO events_2026 VALUES (3, '2026-02-01')");
        assertBehindForAChange("event_count");
    }

    @Test
    void aWriteCommittedWhileTheRefreshRunsLeavesTheViewBehind() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection reader = PG.connection()) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                // An open read of the view: the REFRESH waits for it, after its snapshot was taken.
                statement.execute("SELECT count(*) FROM leaderboard");
            }
            CompletableFuture<RefreshResult> refresh = CompletableFuture.supplyAsync(
                    () -> matviews.refreshes().refresh("leaderboard"));
            awaitWaitingRefresh();
            PG.execute("INSERT INTO users VALUES (7, 'gus')");
            reader.commit();
            assertThat(refresh.get(30, TimeUnit.SECONDS).skipped()).isFalse();
        }
        assertBehindForAChange("leaderboard");
        matviews.refreshes().refresh("leaderboard");
        assertCurrent("leaderboard");
    }

    @Test
    void aWriteInProgressWhenTheRefreshStartsIsUnseenOnceItCommits() throws Exception {
        trackedAndRefreshed("leaderboard");
        try (Connection writer = PG.connection()) {
            writer.setAutoCommit(false);
            try (Statement statement = writer.createStatement()) {
                statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 99)");
            }
            matviews.refreshes().refresh("leaderboard");
            assertCurrent("leaderboard");
            writer.commit();
        }
        assertBehindForAChange("leaderboard");
    }

    private static void awaitWaitingRefresh() throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            if (PG.queryLong("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE 'REFRESH MATERIALIZED VIEW%'") > 0) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the refresh never waited");
    }

    @Test
    void whatCannotBeTrackedIsAlwaysBehindWithTheReason() {
        PG.execute("CREATE MATERIALIZED VIEW recent AS SELECT id FROM workouts WHERE now() > '2000-01-01'",
                "CREATE MATERIALIZED VIEW today AS SELECT id, CURRENT_DATE AS d FROM workouts",
                "CREATE FUNCTION user_count() RETURNS bigint STABLE LANGUAGE plpgsql"
                        + " AS 'BEGIN RETURN (SELECT count(*) FROM public.users); END'",
                "CREATE MATERIALIZED VIEW counted AS SELECT user_count() AS n",
                "CREATE MATERIALIZED VIEW pure AS SELECT id, upper(name) AS name, length(name) FROM users");
        for (String view : List.of("recent", "today", "counted")) {
            track(view);
            matviews.refreshes().refresh(view);
            assertThat(freshness(view).state()).as(view).isEqualTo(Freshness.State.BEHIND);
            assertThat(freshness(view).reason()).as(view).isNotNull();
            assertThat(matviews.refreshes().refresh(view, true).skipped()).isFalse();
        }
        assertThat(freshness("recent").reason()).contains("now()");
        assertThat(freshness("today").reason()).contains("CURRENT_DATE");
        assertThat(freshness("counted").reason()).contains("user_count()");
        trackedAndRefreshed("pure");
    }

    @Test
    void aForeignTableIsUntrackable() {
        PG.execute("CREATE FOREIGN DATA WRAPPER dummy_fdw", "CREATE SERVER dummy FOREIGN DATA WRAPPER dummy_fdw",
                "CREATE FOREIGN TABLE remote_users (id bigint) SERVER dummy",
                "CREATE MATERIALIZED VIEW remote_count AS SELECT count(*) FROM remote_users WITH NO DATA");
        track("remote_count");
        assertAlwaysBehind("remote_count", "reads foreign table public.remote_users");
        PG.execute("DROP SERVER dummy CASCADE", "DROP FOREIGN DATA WRAPPER dummy_fdw");
    }

    @Test
    void aMissingOrDisabledTriggerKeepsTheViewBehind() {
        trackedAndRefreshed("leaderboard");
        if (capture == ChangeCapture.WAL) {
            aDroppedSlotKeepsTheViewBehindUntilItIsCreatedAgain();
            return;
        }
        PG.execute("ALTER TABLE users DISABLE TRIGGER ayb_matviews_track_changes");
        assertAlwaysBehind("leaderboard", "trigger missing on public.users");
        PG.execute("DROP TRIGGER ayb_matviews_track_changes ON users");
        assertAlwaysBehind("leaderboard", "trigger missing on public.users");
        matviews.refreshes().refresh("leaderboard");
        // Re-synced at the refresh: a disabled trigger cannot be replaced, a dropped one is installed again.
        assertCurrent("leaderboard");
    }

    /**
     * Writes made while the slot is gone are lost to it: behind (with the reason) until the next refresh, which
     * creates the slot again and starts tracking anew, so that no refresh from before counts.
     */
    private void aDroppedSlotKeepsTheViewBehindUntilItIsCreatedAgain() {
        dropSlots();
        assertAlwaysBehind("leaderboard", "replication slot is missing or lost");
        PG.execute("INSERT INTO users VALUES (6, 'fay')");
        // Tracking another view creates the slot again; the write above is in no slot, so the refresh before it
        // no longer counts.
        PG.execute("CREATE MATERIALIZED VIEW user_list AS SELECT id, name FROM users");
        track("user_list");
        assertAlwaysBehind("leaderboard", "not refreshed since change tracking was turned on");
        matviews.refreshes().refresh("leaderboard");
        assertCurrent("leaderboard");
        PG.execute("INSERT INTO users VALUES (7, 'gil')");
        assertBehindForAChange("leaderboard");
    }

    @Test
    void aViewWhoseTableLostItsCaptureDoesNotTrustItsOldRefreshOnceAnotherViewPutsItBack() {
        PG.execute("CREATE MATERIALIZED VIEW user_list AS SELECT id, name FROM users");
        trackedAndRefreshed("leaderboard");
        trackedAndRefreshed("user_list");
        if (capture == ChangeCapture.TRIGGERS) {
            PG.execute("DROP TRIGGER ayb_matviews_track_changes ON users");
        } else {
            dropSlots();
        }
        PG.execute("INSERT INTO users VALUES (6, 'fay')"); // recorded nowhere

        matviews.refreshes().refresh("leaderboard"); // puts the capture back on users

        assertCurrent("leaderboard");
        assertThat(freshness("user_list").state()).as("its refresh predates the write").isEqualTo(
                Freshness.State.BEHIND);
        matviews.refreshes().refresh("user_list");
        assertCurrent("user_list");
    }

    @Test
    void aRedefinedViewIsBehindUntilItsNextRefresh() {
        PG.execute("CREATE TABLE extra (id bigint)",
                "CREATE VIEW names AS SELECT name FROM users",
                "CREATE MATERIALIZED VIEW all_names AS SELECT name FROM names");
        trackedAndRefreshed("all_names");
        PG.execute("CREATE OR REPLACE VIEW names AS SELECT name FROM users UNION ALL SELECT id::text FROM extra");
        assertAlwaysBehind("all_names", "definition of the view");
        matviews.refreshes().refresh("all_names");
        assertCurrent("all_names");
        PG.execute("INSERT INTO extra VALUES (1)");
        assertBehindForAChange("all_names");
    }

    @Test
    void ifChangedSkipsExactlyWhenNothingChanged() {
        trackedAndRefreshed("leaderboard");
        Registration before = matviews.registry().get("leaderboard");

        RefreshResult skipped = matviews.refreshes().refresh("leaderboard", true);

        assertThat(skipped.skipped()).isTrue();
        assertThat(skipped.skipReason()).isEqualTo("no source of the view changed since its last refresh");
        assertThat(skipped.registration()).isEqualTo(before);
        assertThat(matviews.registry().get("leaderboard")).isEqualTo(before);
        assertThat(matviews.registry().history("leaderboard", 1).get(0).status()).isEqualTo(RefreshStatus.SKIPPED);

        PG.execute("INSERT INTO users VALUES (8, 'hal')");
        RefreshResult refreshed = matviews.refreshes().refresh("leaderboard", true);
        assertThat(refreshed.skipped()).isFalse();
        assertThat(matviews.registry().history("leaderboard", 1).get(0).status()).isEqualTo(RefreshStatus.SUCCESS);
        assertCurrent("leaderboard");
        assertThat(matviews.refreshes().refresh("leaderboard", true).skipped()).isTrue();
    }

    @Test
    void freshnessOfAllIsByRegistrationId() {
        Registration tracked = track("leaderboard");
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        Registration untracked = matviews.registry().register(QualifiedName.parse("user_names"));
        matviews.refreshes().refresh("leaderboard");

        Map<UUID, Freshness> all = matviews.freshness().ofAll();

        assertThat(all).containsExactly(Map.entry(tracked.id(), Freshness.current()),
                Map.entry(untracked.id(), Freshness.UNTRACKED));
    }

    @Test
    void turningTrackingOffOrUnregisteringRemovesTheTriggersNoOtherViewNeeds() {
        PG.execute("CREATE MATERIALIZED VIEW user_list AS SELECT id, name FROM users");
        trackedAndRefreshed("leaderboard");
        trackedAndRefreshed("user_list");
        PG.execute("INSERT INTO users VALUES (4, 'dan')");
        assertThat(captures()).isEqualTo(2);

        Registration off = matviews.registry().updateChangeTracking("leaderboard", false);

        assertThat(off.changeTracking()).isFalse();
        assertThat(freshness("leaderboard")).isEqualTo(Freshness.UNTRACKED);
        assertThat(capturedOn("workouts")).as("only leaderboard read workouts").isFalse();
        assertThat(capturedOn("users")).as("user_list still reads users").isTrue();
        assertBehindForAChange("user_list");

        matviews.registry().unregister("user_list");
        assertThat(captures()).isZero();
        assertThat(PG.queryLong("SELECT count(*) FROM pg_publication")).as("the publication is dropped").isZero();
        assertThat(PG.queryLong("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"))
                .as("and so is the slot, which would keep WAL for ever").isZero();
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_change_markers")).isZero();
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_tracked_relations")).isZero();
        assertThat(PG.queryLong("SELECT count(*) FROM users")).as("the sources are untouched").isEqualTo(3);
    }

    @Test
    void markersAllTrackedViewsHaveSeenArePruned() {
        trackedAndRefreshed("leaderboard");
        for (int i = 0; i < 5; i++) {
            PG.execute("UPDATE users SET name = name");
        }
        assertBehindForAChange("leaderboard"); // changes read from the WAL become markers when freshness is asked
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_change_markers")).isEqualTo(5);
        matviews.refreshes().refresh("leaderboard");
        matviews.refreshes().refresh("leaderboard");
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_change_markers")).isZero();
    }

    @Test
    void aRoleWithoutTheTriggerPrivilegeGetsAClearErrorAndNothingChanges() {
        String role = "ayb_no_trigger_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        PG.execute("CREATE ROLE " + role + " NOLOGIN",
                "GRANT USAGE ON SCHEMA ayb TO " + role,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ayb TO " + role,
                "GRANT USAGE ON SCHEMA public TO " + role,
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                "GRANT TRIGGER ON users TO " + role);
        if (capture == ChangeCapture.WAL) {
            // Allowed to create the publication, so that what it lacks is the REPLICATION attribute.
            PG.execute("GRANT CREATE ON DATABASE " + PG.databaseName() + " TO " + role);
        }
        String expected = capture == ChangeCapture.TRIGGERS ? "installing the change-tracking trigger on"
                + " public.workouts needs the TRIGGER privilege on the table"
                : "creating the library's replication slot needs the REPLICATION attribute";
        try (HikariDataSource asRole = Pools.pool(PG, 2, "SET ROLE " + role)) {
            AybMatviews limited = AybMatviews.builder().dataSource(asRole).changeCapture(capture).build();

            assertThatThrownBy(() -> limited.registry().register(QualifiedName.parse("leaderboard"),
                    RefreshMode.STANDARD, RefreshTimeouts.NONE, true))
                    .isInstanceOfSatisfying(MatviewException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.TRACKING_PERMISSION_DENIED);
                        assertThat(e.getMessage()).startsWith(expected);
                    });
            assertThat(matviews.registry().find("leaderboard")).as("no registration left behind").isEmpty();
            assertThat(triggers()).as("not even the trigger it could install").isZero();
            assertThat(PG.queryLong("SELECT count(*) FROM pg_publication")).as("nor a publication").isZero();
        } finally {
            PG.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void aWriterWithNoPrivilegeOnTheLibrarysTablesStillRecordsItsWrite() throws Exception {
        trackedAndRefreshed("leaderboard");
        String role = "ayb_writer_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        PG.execute("CREATE ROLE " + role + " NOLOGIN", "GRANT USAGE ON SCHEMA public TO " + role,
                "GRANT INSERT ON workouts TO " + role, "GRANT USAGE ON SEQUENCE workouts_id_seq TO " + role);
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE " + role);
            statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 1)");
            statement.execute("RESET ROLE");
        } finally {
            PG.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
        assertBehindForAChange("leaderboard");
    }

    /** The tables whose writes are captured, by trigger or by the publication (whichever this run uses). */
    private long captures() {
        return capture == ChangeCapture.TRIGGERS ? triggers()
                : PG.queryLong("SELECT count(*) FROM pg_publication_rel") + triggers();
    }

    private boolean capturedOn(String table) {
        return capture == ChangeCapture.TRIGGERS ? triggerOn(table)
                : PG.queryLong("SELECT count(*) FROM pg_publication_rel WHERE prrelid = 'public." + table
                + "'::regclass") == 1 && !triggerOn(table);
    }

    /** A slot outlives the tests' schema: each test starts without one. */
    private static void dropSlots() {
        PG.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE database = current_database()");
    }

    private static long triggers() {
        return PG.queryLong("SELECT count(*) FROM pg_trigger WHERE tgname = 'ayb_matviews_track_changes'");
    }

    private static boolean triggerOn(String table) {
        return PG.queryLong("SELECT count(*) FROM pg_trigger WHERE tgname = 'ayb_matviews_track_changes'"
                + " AND tgrelid = 'public." + table + "'::regclass") == 1;
    }
}
