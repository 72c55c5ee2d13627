package dev.ayb.matviews.jdbc.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two real refreshes of one view whose outcomes arrive out of order: the first loses its lock with its killed
 * backend, the second takes the lock, refreshes and records, and only then is the first one's outcome written
 * (held back at the borrow of its fresh connection). The late outcome goes to the history but never replaces
 * the registration's newer one, and {@code lastRefreshAt} never goes backwards.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class LateOutcomeTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void anOutcomeRecordedAfterItsLockWasLostNeverReplacesANewerOne(AdvisoryLockMode mode) throws Throwable {
        GatedDataSource gated = new GatedDataSource(HYGIENE.pool("late-" + mode, 3));
        AybMatviews first = AybMatviews.builder().dataSource(gated).lockMode(mode).build();
        AybMatviews second = AybMatviews.builder().dataSource(HYGIENE.pool("newer-" + mode, 3)).lockMode(mode).build();
        first.registry().register(QualifiedName.parse("leaderboard"));

        RefreshResult newer;
        try (HeldRefresh<RefreshResult> held = HeldRefresh.start(PG::connection, "workouts",
                () -> first.refreshes().refresh("leaderboard"))) {
            gated.closeBeforeNextBorrow();
            PG.execute("SELECT pg_terminate_backend(" + held.refreshingPid() + ")");
            Figures.faults(1);
            // The first refresh failed and waits to record its outcome on a fresh connection; its lock is gone.
            gated.awaitBorrowHeld();
            held.release();

            newer = second.refreshes().refresh("leaderboard");

            gated.open();
            assertThatThrownBy(() -> held.result(CALL_TIMEOUT)).isInstanceOf(MatviewException.class);
        }
        Figures.operations(2);

        Registration after = first.registry().get("leaderboard");
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(after.lastRefreshError()).isNull();
        assertThat(after.lastRefreshAt()).isEqualTo(newer.registration().lastRefreshAt());
        assertThat(first.registry().history(ViewRef.parse("leaderboard"), 10)).extracting(RefreshRun::status)
                .as("both outcomes are in the history, the late one written last")
                .containsExactly(RefreshStatus.ERROR, RefreshStatus.SUCCESS);
        assertThat(HYGIENE.libraryLocks()).isZero();
    }
}
