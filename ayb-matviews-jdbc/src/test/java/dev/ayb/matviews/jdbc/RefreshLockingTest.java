package dev.ayb.matviews.jdbc;

import static dev.ayb.matviews.jdbc.MatviewRegistryTest.assertCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.BlockedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class RefreshLockingTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The suite runs over pools with either setting; false is the Spring/JPA default. */
    @Parameter
    boolean autoCommit;

    private static final String LOCK_VIEW_KEY = "SELECT pg_advisory_lock(" + AybMatviews.DEFAULT_LOCK_NAMESPACE
            + ", 'public.leaderboard'::regclass::oid::int8::int4)";

    private AybMatviews matviews;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        matviews = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).build();
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
    }

    @Test
    void theTestkitCountsLocksUnderTheLibrarysNamespace() {
        assertThat(PostgresExtension.LIBRARY_LOCK_NAMESPACE).isEqualTo(AybMatviews.DEFAULT_LOCK_NAMESPACE);
    }

    @Test
    void refreshIsRejectedWhileAnOutsideSessionHoldsTheLockAndRunsOnceItIsReleased() throws Exception {
        try (Connection outside = PG.connection(); Statement statement = outside.createStatement()) {
            statement.execute(LOCK_VIEW_KEY);

            assertCode(() -> matviews.refreshes().refresh("public.leaderboard"), ErrorCode.REFRESH_IN_PROGRESS);

            statement.execute("SELECT pg_advisory_unlock_all()");
        }
        assertThat(matviews.refreshes().refresh("public.leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void aRejectedRefreshDoesNotOverwriteTheStatusOfTheRunningOne() throws Exception {
        matviews.refreshes().refresh("public.leaderboard");
        Registration before = matviews.registry().get("public.leaderboard");
        AtomicInteger rejections = new AtomicInteger();
        AybMatviews second = AybMatviews.builder().dataSource(PG.newDataSource(2, autoCommit)).listener(new RefreshListener() {
            @Override
            public void refreshRejected(QualifiedName view, RefreshTrigger trigger) {
                rejections.incrementAndGet();
            }
        }).build();

        try (BlockedRefresh<RefreshResult> running = BlockedRefresh.start(PG, "workouts",
                () -> matviews.refreshes().refresh("public.leaderboard"))) {
            assertCode(() -> second.refreshes().refresh("public.leaderboard"), ErrorCode.REFRESH_IN_PROGRESS);

            assertThat(matviews.registry().get("public.leaderboard")).isEqualTo(before);
            assertThat(matviews.registry().history(ViewRef.parse("leaderboard"), 10)).hasSize(1);
            assertThat(rejections).hasValue(1);

            running.release();
            assertThat(running.result().registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        }
        assertThat(matviews.registry().history(ViewRef.parse("leaderboard"), 10)).hasSize(2);
    }

    @Test
    void twoAppInstancesNeverRefreshTheSameViewAtOnce() throws Exception {
        AybMatviews instanceA = AybMatviews.builder().dataSource(PG.newDataSource(2, autoCommit)).build();
        AybMatviews instanceB = AybMatviews.builder().dataSource(PG.newDataSource(2, autoCommit)).build();

        try (BlockedRefresh<RefreshResult> running = BlockedRefresh.start(PG, "workouts",
                () -> instanceA.refreshes().refresh("public.leaderboard"))) {
            assertThatThrownBy(() -> instanceB.refreshes().refresh("public.leaderboard"))
                    .isInstanceOfSatisfying(MatviewException.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("refresh already in progress");
                        assertThat(e.httpStatus()).isEqualTo(409);
                    });
            running.release();
            running.result();
        }
        assertThat(instanceB.refreshes().refresh("public.leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void otherViewsRefreshWhileOneIsBusy() throws Exception {
        PG.execute("CREATE MATERIALIZED VIEW user_count AS SELECT count(*) AS n FROM users");
        matviews.registry().register(QualifiedName.parse("public.user_count"));

        try (BlockedRefresh<RefreshResult> running = BlockedRefresh.start(PG, "workouts",
                () -> matviews.refreshes().refresh("public.leaderboard"))) {
            RefreshResult other = matviews.refreshes().refresh("public.user_count");
            assertThat(other.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
            running.release();
            running.result();
        }
    }

    @Test
    void aRefreshWhoseBackendIsKilledIsRecordedAsAnErrorAndReleasesItsLock() throws Exception {
        try (BlockedRefresh<RefreshResult> running = BlockedRefresh.start(PG, "workouts",
                () -> matviews.refreshes().refresh("public.leaderboard"))) {
            PG.execute("SELECT pg_terminate_backend(" + running.refreshingPid() + ")");

            assertThatThrownBy(running::result).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(MatviewException.class);
        }
        Registration after = matviews.registry().get("public.leaderboard");
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(after.lastRefreshError()).contains("terminat");
        assertThat(PG.libraryLocksHeld()).isZero();

        assertThat(matviews.refreshes().refresh("public.leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void transactionLockModeRefreshesAndRecordsInOneTransaction() throws Exception {
        AybMatviews xact = AybMatviews.builder().dataSource(PG.newDataSource(1, autoCommit))
                .lockMode(AdvisoryLockMode.TRANSACTION).build();
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        RefreshResult result = xact.refreshes().refresh("public.leaderboard");

        assertThat(result.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
        assertThat(PG.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND state LIKE 'idle in transaction%'")).isZero();
    }

    @Test
    void transactionLockModeSeesLocksHeldBySessionsAndRecordsFailures() throws Exception {
        AybMatviews xact = AybMatviews.builder().dataSource(PG.newDataSource(1, autoCommit))
                .lockMode(AdvisoryLockMode.TRANSACTION).build();
        try (Connection outside = PG.connection(); Statement statement = outside.createStatement()) {
            statement.execute(LOCK_VIEW_KEY);
            assertCode(() -> xact.refreshes().refresh("public.leaderboard"), ErrorCode.REFRESH_IN_PROGRESS);
            statement.execute("SELECT pg_advisory_unlock_all()");
        }

        PG.execute("DROP MATERIALIZED VIEW leaderboard",
                "CREATE MATERIALIZED VIEW leaderboard AS SELECT id, 1 / (id - 1) AS broken FROM users WITH NO DATA");
        assertCode(() -> xact.refreshes().refresh("public.leaderboard"), ErrorCode.REFRESH_FAILED);
        Registration after = xact.registry().get("public.leaderboard");
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(after.lastRefreshError()).contains("division by zero");
    }
}
