package dev.ayb.matviews.jdbc.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.jdbc.support.TargetedViews;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import dev.ayb.matviews.testkit.Pools;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What is particular to change capture from the WAL ({@link ChangeCapture#WAL}); the write matrix and the
 * property test run in this mode too ({@link ChangeTrackingTest}, {@link FreshnessPropertyTest}).
 */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class WalChangeCaptureTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Parameter
    boolean autoCommit;

    private AybMatviews matviews;

    @BeforeEach
    void createSchema() {
        PG.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE database = current_database()", "DROP PUBLICATION IF EXISTS ayb_matviews_changes");
        SampleSchema.create(PG);
        matviews = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).changeCapture(ChangeCapture.WAL)
                .build();
    }

    private void trackedAndRefreshed(AybMatviews instance, String view) {
        instance.registry().register(QualifiedName.parse(view), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);
        instance.refreshes().refresh(view);
        assertThat(instance.freshness().of(view)).isEqualTo(Freshness.current());
    }

    private Freshness.State state(String view) {
        return matviews.freshness().of(view).state();
    }

    @Test
    void theTablesArePublishedWithoutATriggerAndOneSlotKeepsTheirChanges() {
        trackedAndRefreshed(matviews, "leaderboard");

        assertThat(matviews.freshness().sources("leaderboard")).extracting(SourceTable::capture)
                .containsOnly(SourceTable.CAPTURE_WAL);
        assertThat(PG.queryLong("SELECT count(*) FROM pg_trigger WHERE tgname = 'ayb_matviews_track_changes'"))
                .isZero();
        assertThat(PG.queryLong("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'ayb_matviews_changes'"))
                .isEqualTo(2);
        assertThat(PG.queryLong("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"
                + " AND plugin = 'pgoutput' AND slot_type = 'logical'")).isEqualTo(1);
    }

    @Test
    void aWriteCommittedWithoutWaitingForItsFlushIsSeenAtOnce() throws Exception {
        trackedAndRefreshed(matviews, "leaderboard");
        try (Connection writer = PG.connection(); Statement statement = writer.createStatement()) {
            // Visible to every other session before its WAL is on disk, where decoding reads.
            statement.execute("SET synchronous_commit = off");
            statement.execute("INSERT INTO users VALUES (3, 'cid')");
        }
        Freshness freshness = matviews.freshness().of("leaderboard");
        assertThat(freshness.state()).isEqualTo(Freshness.State.BEHIND);
        assertThat(freshness.behindSince()).isNotNull();
    }

    @Test
    void readingTheChangesMovesTheSlotOnSoItKeepsNoWalThatWasRead() {
        trackedAndRefreshed(matviews, "leaderboard");
        String before = PG.queryString("SELECT confirmed_flush_lsn::text FROM pg_replication_slots"
                + " WHERE database = current_database()");
        PG.execute("INSERT INTO users VALUES (3, 'cid')");
        String written = PG.queryString("SELECT pg_current_wal_insert_lsn()::text");

        assertThat(state("leaderboard")).isEqualTo(Freshness.State.BEHIND);

        assertThat(PG.queryLong("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"
                + " AND confirmed_flush_lsn >= '" + written + "'::pg_lsn AND confirmed_flush_lsn > '" + before
                + "'::pg_lsn")).as("the slot moved past the write").isEqualTo(1);
        // A second read finds the slot where the WAL ends, and reads nothing.
        assertThat(state("leaderboard")).isEqualTo(Freshness.State.BEHIND);
    }

    @Test
    void tablesTheWalCannotServeKeepATriggerAndStillCount() {
        PG.execute("CREATE TABLE notes (body text)",
                "CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY)",
                "CREATE TABLE events (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE MATERIALIZED VIEW everything AS SELECT (SELECT count(*) FROM notes) AS notes,"
                        + " (SELECT count(*) FROM scratch) AS scratch, (SELECT count(*) FROM events) AS events");
        trackedAndRefreshed(matviews, "everything");

        Map<String, String> captures = matviews.freshness().sources("everything").stream()
                .collect(Collectors.toMap(SourceTable::tableName, SourceTable::capture));
        assertThat(captures).containsExactlyInAnyOrderEntriesOf(Map.of(
                "notes", SourceTable.CAPTURE_TRIGGER, // no replica identity: an UPDATE of it would be refused
                "scratch", SourceTable.CAPTURE_TRIGGER, // unlogged: not in the WAL
                "events", SourceTable.CAPTURE_TRIGGER, // a statement naming the parent fires the parent's trigger
                "events_2025", SourceTable.CAPTURE_WAL));
        PG.execute("UPDATE notes SET body = body", "UPDATE notes SET body = 'x'");
        for (String write : List.of("INSERT INTO notes VALUES ('a')", "INSERT INTO scratch VALUES (1)",
                "INSERT INTO events VALUES (1, '2025-03-01')", "INSERT INTO events_2025 VALUES (2, '2025-04-01')",
                "UPDATE notes SET body = 'b'")) {
            PG.execute(write);
            assertThat(state("everything")).as(write).isEqualTo(Freshness.State.BEHIND);
            matviews.refreshes().refresh("everything");
            assertThat(state("everything")).as("refreshed after " + write).isEqualTo(Freshness.State.CURRENT);
        }

        PG.execute("CREATE TABLE events_2026 (id int, at date, PRIMARY KEY (id, at))",
                "ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
        assertThat(matviews.freshness().of("everything").reason()).contains("public.events_2026");
        matviews.refreshes().refresh("everything");
        assertThat(matviews.freshness().sources("everything")).filteredOn(s -> s.tableName().equals("events_2026"))
                .extracting(SourceTable::capture).containsExactly(SourceTable.CAPTURE_WAL);
        PG.execute("INSERT INTO events_2026 VALUES (3, '2026-02-01')");
        assertThat(state("everything")).isEqualTo(Freshness.State.BEHIND);
    }

    @Test
    void anInstanceCapturingWithTriggersReadsAndKeepsWhatIsReadFromTheWal() {
        trackedAndRefreshed(matviews, "leaderboard");
        AybMatviews triggers = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).build();

        PG.execute("INSERT INTO users VALUES (3, 'cid')");
        assertThat(triggers.freshness().of("leaderboard").state()).isEqualTo(Freshness.State.BEHIND);
        triggers.refreshes().refresh("leaderboard");
        assertThat(triggers.freshness().of("leaderboard")).isEqualTo(Freshness.current());

        assertThat(triggers.freshness().sources("leaderboard")).extracting(SourceTable::capture)
                .as("its re-sync before the refresh added no trigger").containsOnly(SourceTable.CAPTURE_WAL);
        PG.execute("DELETE FROM workouts");
        assertThat(triggers.freshness().of("leaderboard").state()).isEqualTo(Freshness.State.BEHIND);
    }

    @Test
    void thePlannersReadOfTheTargetedViewsReadsTheWalFirst() {
        trackedAndRefreshed(matviews, "leaderboard");
        matviews.registry().updateTargetLag("leaderboard", Duration.ofMinutes(5));
        TargetedViews targeted = new TargetedViews(PG.dataSource(autoCommit), matviews.schema(),
                matviews.lockNamespace());
        assertThat(targeted.read().views()).singleElement()
                .satisfies(view -> assertThat(view.freshness().isCurrent()).isTrue());

        PG.execute("UPDATE users SET name = 'anne' WHERE id = 1");

        assertThat(targeted.read().views()).singleElement()
                .satisfies(view -> assertThat(view.freshness().state()).isEqualTo(Freshness.State.BEHIND));
    }

    @Test
    void aReaderThatMayNotReadTheSlotNeverReportsAViewCurrent() {
        trackedAndRefreshed(matviews, "leaderboard");
        PG.execute("INSERT INTO users VALUES (3, 'cid')");
        String role = "ayb_reader_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        PG.execute("CREATE ROLE " + role + " NOLOGIN", "GRANT USAGE ON SCHEMA ayb TO " + role,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ayb TO " + role);
        try (HikariDataSource asRole = Pools.pool(PG, 2, "SET ROLE " + role)) {
            AybMatviews reader = AybMatviews.builder().dataSource(asRole).migrate(false).build();

            Freshness freshness = reader.freshness().of("leaderboard");

            assertThat(freshness.state()).isEqualTo(Freshness.State.BEHIND);
            assertThat(freshness.reason()).startsWith("the changes kept for it in the WAL could not be read: ")
                    .contains("replication");
        } finally {
            PG.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
        assertThat(state("leaderboard")).as("read by a role that may").isEqualTo(Freshness.State.BEHIND);
    }

    @Test
    void readersOnSeveralInstancesAtOnceEachSeeEveryCommittedWrite() throws Exception {
        trackedAndRefreshed(matviews, "leaderboard");
        List<AybMatviews> instances = List.of(matviews,
                AybMatviews.builder().dataSource(PG.newDataSource(4, autoCommit)).build(),
                AybMatviews.builder().dataSource(PG.newDataSource(4, !autoCommit)).build());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        try {
            for (int round = 0; round < 15; round++) {
                matviews.refreshes().refresh("leaderboard");
                PG.execute("INSERT INTO users VALUES (" + (100 + round) + ", 'u')");
                List<Future<?>> readers = new ArrayList<>();
                for (int r = 0; r < 6; r++) {
                    AybMatviews instance = instances.get(r % instances.size());
                    readers.add(pool.submit(() -> {
                        Freshness freshness = instance.freshness().of("leaderboard");
                        if (freshness.state() != Freshness.State.BEHIND || freshness.reason() != null) {
                            wrong.add(freshness.toString());
                        }
                    }));
                }
                for (Future<?> reader : readers) {
                    reader.get(30, TimeUnit.SECONDS);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(wrong).as("each read after a committed write finds it, none fails").isEmpty();
    }

    @Test
    void turningTrackingOnWithoutLogicalWalLevelIsAClearErrorAndChangesNothing() throws Exception {
        try (EmbeddedPostgres replicaLevel = EmbeddedPostgres.builder().setting("wal_level", "replica").build()
                .start()) {
            String url = replicaLevel.jdbcUrl("postgres");
            try (Connection connection = DriverManager.getConnection(url, replicaLevel.user(),
                    replicaLevel.password()); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE users (id bigint PRIMARY KEY, name text)");
                statement.execute("CREATE MATERIALIZED VIEW names AS SELECT name FROM users");
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setUsername(replicaLevel.user());
            config.setPassword(replicaLevel.password());
            config.setMaximumPoolSize(2);
            config.setAutoCommit(autoCommit);
            try (HikariDataSource pool = new HikariDataSource(config)) {
                AybMatviews onReplicaLevel = AybMatviews.builder().dataSource(pool)
                        .changeCapture(ChangeCapture.WAL).build();
                assertThatThrownBy(() -> onReplicaLevel.registry().register(QualifiedName.parse("names"),
                        RefreshMode.STANDARD, RefreshTimeouts.NONE, true))
                        .isInstanceOfSatisfying(MatviewException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.CHANGE_CAPTURE_UNAVAILABLE);
                            assertThat(e.getMessage()).contains("wal_level = logical").contains("it is replica");
                        });
                assertThat(onReplicaLevel.registry().find("names")).isEmpty();
                // Without tracking the view registers as ever.
                onReplicaLevel.registry().register(QualifiedName.parse("names"));
            }
        }
    }
}
