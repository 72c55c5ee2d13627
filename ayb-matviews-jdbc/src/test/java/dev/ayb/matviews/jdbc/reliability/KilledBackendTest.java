package dev.ayb.matviews.jdbc.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.Figures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backends killed under the library ({@code pg_terminate_backend}, as a DBA or a failover does): the refresh
 * they ran is recorded as an error, its lock goes with the session, the pool gets rid of the dead connection
 * and the next refresh succeeds.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class KilledBackendTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int ROUNDS = 3;

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void aRefreshWhoseBackendIsKilledIsRecordedAsAnErrorReleasesItsLockAndTheNextOneSucceeds(AdvisoryLockMode mode)
            throws Throwable {
        HikariDataSource pool = HYGIENE.pool("killed-" + mode, 3);
        // Default timeouts: set on the refreshing connection, which is then killed; none may reach the pool.
        AybMatviews matviews = AybMatviews.builder().dataSource(pool).lockMode(mode)
                .defaultLockTimeout(Duration.ofSeconds(30)).defaultStatementTimeout(Duration.ofSeconds(120)).build();
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));

        for (int round = 1; round <= ROUNDS; round++) {
            try (HeldRefresh<RefreshResult> held = HeldRefresh.start(PG::connection, "workouts",
                    () -> matviews.refreshes().refresh("public.leaderboard"))) {
                PG.execute("SELECT pg_terminate_backend(" + held.refreshingPid() + ")");
                Figures.faults(1);

                assertThatThrownBy(() -> held.result(CALL_TIMEOUT)).isInstanceOfSatisfying(MatviewException.class,
                        e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_FAILED);
                            assertThat(e.getMessage()).startsWith("refresh of public.leaderboard failed: ")
                                    .contains("terminat");
                        });
            }
            Registration failed = matviews.registry().get("public.leaderboard");
            assertThat(failed.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
            assertThat(failed.lastRefreshError()).contains("terminat");
            assertThat(HYGIENE.libraryLocks()).isZero();

            assertThat(matviews.refreshes().refresh("public.leaderboard").registration().lastRefreshStatus())
                    .isEqualTo(RefreshStatus.SUCCESS);
            Figures.operations(2);
        }
        List<RefreshRun> history = matviews.registry().history(ViewRef.parse("leaderboard"), 100);
        assertThat(history).extracting(RefreshRun::status).hasSize(2 * ROUNDS)
                .containsExactlyElementsOf(alternating(ROUNDS));
        Figures.lost(2L * ROUNDS - history.size());
    }

    @Test
    void everyPooledSessionKilledBetweenCallsCostsAtMostOneFailedCallPerConnectionAndNoLock() throws Exception {
        HikariDataSource pool = HYGIENE.pool("all-killed", 3);
        AybMatviews matviews = AybMatviews.builder().dataSource(pool).build();
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        // Fill the pool: three connections, all idle and about to be killed.
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(pool.getConnection());
        }
        for (Connection connection : held) {
            connection.close();
        }
        long killed = PG.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND application_name = 'PostgreSQL JDBC Driver'"
                + " AND pid <> pg_backend_pid() AND state = 'idle'");
        Figures.faults(killed);

        int failures = 0;
        for (int call = 0; call < 10; call++) {
            CompletableFuture<RefreshResult> refresh = CompletableFuture.supplyAsync(
                    () -> matviews.refreshes().refresh("public.leaderboard"));
            try {
                assertThat(refresh.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).registration().lastRefreshStatus())
                        .isEqualTo(RefreshStatus.SUCCESS);
            } catch (java.util.concurrent.ExecutionException e) {
                // A connection the pool had not yet found dead fails the call that borrowed it, clearly.
                assertThat(e.getCause()).isInstanceOfSatisfying(MatviewException.class,
                        failure -> assertThat(failure.httpStatus()).isEqualTo(500));
                failures++;
            }
            Figures.operations(1);
        }
        assertThat(killed).isGreaterThanOrEqualTo(1);
        assertThat(failures).isLessThanOrEqualTo((int) killed);
        assertThat(HYGIENE.libraryLocks()).isZero();
        // The last calls all succeeded: the pool recovered by itself.
        assertThat(matviews.refreshes().refresh("public.leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }

    /** Newest first: success, error, success, error, ... */
    private static List<RefreshStatus> alternating(int rounds) {
        List<RefreshStatus> statuses = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            statuses.add(RefreshStatus.SUCCESS);
            statuses.add(RefreshStatus.ERROR);
        }
        return statuses;
    }
}
