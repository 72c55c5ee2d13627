package dev.ayb.matviews.jdbc.pgbouncer;

import static dev.ayb.matviews.jdbc.reliability.RefreshRace.ANSWER_TIMEOUT;
import static dev.ayb.matviews.jdbc.reliability.RefreshRace.IN_PROGRESS;
import static dev.ayb.matviews.jdbc.reliability.RefreshRace.SUCCESS;
import static dev.ayb.matviews.jdbc.reliability.RefreshRace.answered;
import static dev.ayb.matviews.jdbc.reliability.RefreshRace.outcomes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.reliability.RefreshRace;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PgBouncerExtension;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transaction lock mode behind PgBouncer in transaction pooling, the deployment it is for: two application
 * instances share two server backends through the proxy, and everything still works, one refresh of a view at a
 * time, with no session setting of one client's refresh reaching another client.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class TransactionLockBehindPgBouncerTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PgBouncerExtension BOUNCER = PgBouncerExtension.transactionPooling(PG, 2);

    private static final int THREADS = 20;

    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    private AybMatviews instanceA;
    private AybMatviews instanceB;

    @BeforeEach
    void twoInstancesThroughTheProxy() {
        SampleSchema.create(PG);
        instanceA = AybMatviews.builder().dataSource(BOUNCER.dataSource("instance-a", 4))
                .lockMode(AdvisoryLockMode.TRANSACTION).build();
        instanceB = AybMatviews.builder().dataSource(BOUNCER.dataSource("instance-b", 4))
                .lockMode(AdvisoryLockMode.TRANSACTION).build();
        instanceA.registry().register(QualifiedName.parse("public.leaderboard"));
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void registersRefreshesInBothModesAndKeepsTheHistoryThroughTheProxy() {
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        assertThat(instanceA.refreshes().refresh("public.leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);

        instanceB.registry().updateMode("public.leaderboard", RefreshMode.CONCURRENT);
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 5)");
        assertThat(instanceB.refreshes().refresh("public.leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(125);

        List<RefreshRun> history = instanceA.registry().history(ViewRef.parse("public.leaderboard"), 10);
        assertThat(history).extracting(RefreshRun::refreshMode).containsExactly(RefreshMode.CONCURRENT, RefreshMode.STANDARD);
        assertThat(history).extracting(RefreshRun::status).containsOnly(RefreshStatus.SUCCESS);
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    @Test
    void concurrentRefreshesOfTwoInstancesRunOnceAndTheOthersAreToldAtOnceThatOneIsInProgress() throws Exception {
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        List<Future<String>> calls = new ArrayList<>();
        try (Connection blocker = PG.connection(); Statement statement = blocker.createStatement()) {
            // The refresh that wins the lock waits inside PostgreSQL, holding one of the two backends, until this
            // transaction ends; every other call goes through the remaining backend.
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE workouts IN ACCESS EXCLUSIVE MODE");
            calls.addAll(RefreshRace.start(threads, THREADS, 0, instanceA, instanceB));

            Await.until((THREADS - 1) + " calls answered while one refresh runs",
                    () -> answered(calls) == THREADS - 1, ANSWER_TIMEOUT);
            assertThat(PG.libraryLocksHeld()).isEqualTo(1);
            assertThat(calls.stream().filter(Future::isDone).map(RefreshRace::outcome))
                    .containsOnly(IN_PROGRESS);
            blocker.commit();
        }

        Map<String, Long> outcomes = outcomes(calls);
        Figures.operations(THREADS);
        Figures.lost(THREADS - outcomes.values().stream().mapToLong(Long::longValue).sum());
        assertThat(outcomes).containsOnly(Map.entry(IN_PROGRESS, (long) THREADS - 1), Map.entry(SUCCESS, 1L));
        assertThat(instanceB.registry().history(ViewRef.parse("public.leaderboard"), 100)).singleElement()
                .satisfies(run -> assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS));
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    /**
     * The symptom of a session-level timeout behind a transaction pooler: a refresh cancelled by a
     * {@code statement_timeout} it never set, left on a shared backend by another client's refresh.
     */
    @Test
    void aViewsTimeoutsStayInItsOwnRefreshAndNeverReachAnotherClientOnTheSameBackends() throws SQLException {
        PG.execute("CREATE MATERIALIZED VIEW slow AS SELECT 1 AS id FROM pg_sleep(1.5) WITH NO DATA");
        instanceB.registry().register(QualifiedName.parse("public.slow"));
        instanceA.registry().updateTimeouts(ViewRef.parse("public.leaderboard"),
                RefreshTimeouts.of(Duration.ofMillis(900), Duration.ofSeconds(1)));
        String serverLockTimeout = PG.queryString("SELECT current_setting('lock_timeout')");
        String serverStatementTimeout = PG.queryString("SELECT current_setting('statement_timeout')");

        instanceA.refreshes().refresh("public.leaderboard");
        Figures.operations(1);

        // Two clients in open transactions hold both of PgBouncer's backends, whichever ran that refresh.
        try (Connection first = BOUNCER.connection(); Connection second = BOUNCER.connection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            for (Connection client : List.of(first, second)) {
                assertThat(query(client, "SELECT current_setting('lock_timeout')")).isEqualTo(serverLockTimeout);
                assertThat(query(client, "SELECT current_setting('statement_timeout')"))
                        .isEqualTo(serverStatementTimeout);
            }
            assertThat(query(first, "SELECT pg_backend_pid()")).isNotEqualTo(query(second, "SELECT pg_backend_pid()"));
            first.rollback();
            second.rollback();
        }
        // Longer than the other view's statement_timeout: it would be cancelled if that had stayed behind.
        assertThat(instanceB.refreshes().refresh("public.slow").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
