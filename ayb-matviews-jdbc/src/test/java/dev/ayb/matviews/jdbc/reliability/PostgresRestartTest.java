package dev.ayb.matviews.jdbc.reliability;

import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stopped (fast shutdown: every session cut off, as in an outage or a failover) and started again
 * while the library refreshes, on a server of this class's own, so the other test classes' server is never
 * touched. The library must come back by itself, without an application restart: no call hangs and no lock is
 * left behind. (Scheduled jobs across a restart: PostgresRestartJobsTest, in ayb-matviews-jobs.)
 */
@Tag("reliability")
@ExtendWith(Figures.class)
// Restarts, and calls that may each wait a minute or more (CALL_TIMEOUT).
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresRestartTest {
    private static EmbeddedPostgres server;

    @RegisterExtension
    static final PoolHygiene HYGIENE = PoolHygiene.on(() -> server);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for the pool to ride out a restart, short enough that a call during an outage fails soon. */
    private static final Duration SHORT_BORROW = Duration.ofSeconds(2);
    private static final Duration OUTAGE = Duration.ofMillis(1500);

    @BeforeAll
    static void startOwnServer() {
        server = EmbeddedPostgres.startTemporary();
    }

    @AfterAll
    static void closeOwnServer() {
        server.close();
    }

    @BeforeEach
    void seed() {
        SampleSchema.create(PostgresRestartTest::execute);
    }

    @Test
    void aRefreshCutOffByAStopFailsClearlyAndAfterTheRestartTheNextOneSucceeds() throws Throwable {
        for (AdvisoryLockMode mode : AdvisoryLockMode.values()) {
            seed();
            HikariDataSource pool = HYGIENE.pool("refresh-" + mode, 3, SHORT_BORROW);
            AybMatviews matviews = AybMatviews.builder().dataSource(pool).lockMode(mode).build();
            matviews.registry().register(QualifiedName.parse("leaderboard"));
            matviews.refreshes().refresh("leaderboard");

            try (HeldRefresh<RefreshResult> held = HeldRefresh.start(HYGIENE::connect, "workouts",
                    () -> matviews.refreshes().refresh("leaderboard"))) {
                server.stop();
                Figures.faults(1);
                // The outcome cannot be recorded while the server is down: the call reports the refresh's failure.
                assertThatThrownBy(() -> held.result(CALL_TIMEOUT)).isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.getMessage()).startsWith("refresh of public.leaderboard failed: "));
            }
            // While it is down, calls fail within the pool's borrow timeout, with the library's error.
            assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard")).isInstanceOfSatisfying(
                    MatviewException.class, e -> assertThat(e.httpStatus()).isEqualTo(500));
            server.start();

            RefreshResult next = matviews.refreshes().refresh("leaderboard");
            Figures.operations(4);

            assertThat(next.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
            // The first refresh and the one after the restart; the cut-off one could not be written anywhere.
            assertThat(matviews.registry().history(ViewRef.parse("leaderboard"), 10)).extracting(RefreshRun::status)
                    .containsExactly(RefreshStatus.SUCCESS, RefreshStatus.SUCCESS);
            assertThat(HYGIENE.libraryLocks()).isZero();
        }
    }

    @Test
    void aRefreshCutOffByAQuickRestartHasItsFailureRecordedOnceTheServerIsBack() throws Throwable {
        // The pool waits longer than the restart takes, so the failure's record reaches the restarted server.
        HikariDataSource pool = HYGIENE.pool("quick-restart", 3, Duration.ofSeconds(30));
        AybMatviews matviews = AybMatviews.builder().dataSource(pool).build();
        matviews.registry().register(QualifiedName.parse("leaderboard"));

        try (HeldRefresh<RefreshResult> held = HeldRefresh.start(HYGIENE::connect, "workouts",
                () -> matviews.refreshes().refresh("leaderboard"))) {
            server.stop();
            server.start();
            Figures.faults(1);
            assertThatThrownBy(() -> held.result(CALL_TIMEOUT)).isInstanceOf(MatviewException.class);
        }
        Registration after = matviews.registry().get("leaderboard");
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(after.lastRefreshError()).startsWith("refresh of public.leaderboard failed: ");
        assertThat(matviews.refreshes().refresh("leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
        Figures.operations(2);
        assertThat(matviews.registry().history(ViewRef.parse("leaderboard"), 10)).extracting(RefreshRun::status)
                .containsExactly(RefreshStatus.SUCCESS, RefreshStatus.ERROR);
    }

    private static void execute(String... sql) {
        try (Connection connection = HYGIENE.connect(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
