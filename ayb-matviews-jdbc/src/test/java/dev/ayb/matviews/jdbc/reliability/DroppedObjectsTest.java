package dev.ayb.matviews.jdbc.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.Figures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.ViewRefreshOutcome;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The view, or the unique index CONCURRENTLY needs, dropped after registration — before the refresh, or under
 * it, between the moment the lock is taken and the {@code REFRESH} statement (injected through the listener,
 * which the library calls exactly there). Each case ends with the documented error, recorded on the
 * registration, and no lock left.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class DroppedObjectsTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    /** Runs once, when the next refresh has taken its lock and not yet sent REFRESH. */
    private final AtomicReference<Runnable> underTheLock = new AtomicReference<>();

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void aViewDroppedAfterRegistrationIsReportedAsNoLongerExisting(AdvisoryLockMode mode) {
        AybMatviews matviews = instance(mode);
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("DROP MATERIALIZED VIEW leaderboard");
        Figures.faults(1);

        assertFailsWith(matviews, ErrorCode.VIEW_NO_LONGER_EXISTS, "materialized view no longer exists in database");
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void aViewReplacedByATableOfTheSameNameIsReportedAsNoLongerExisting(AdvisoryLockMode mode) {
        AybMatviews matviews = instance(mode);
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("DROP MATERIALIZED VIEW leaderboard", "CREATE TABLE leaderboard (id bigint)");
        Figures.faults(1);

        assertFailsWith(matviews, ErrorCode.VIEW_NO_LONGER_EXISTS, "materialized view no longer exists in database");
        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).isZero();
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void aViewDroppedAfterRegistrationIsReportedAsNoLongerExistingOnTheRegistrationPathToo(AdvisoryLockMode mode) {
        AybMatviews matviews = instance(mode);
        Registration registration = matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("DROP MATERIALIZED VIEW leaderboard", "CREATE TABLE leaderboard (id bigint)");
        Figures.faults(1);

        // The path scheduled and cascade refreshes take: the registration is already loaded.
        assertThatThrownBy(() -> matviews.refreshes().refresh(registration, RefreshTrigger.SCHEDULE))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VIEW_NO_LONGER_EXISTS);
                    assertThat(e.getMessage()).isEqualTo("materialized view no longer exists in database");
                });
        Figures.operations(1);
        Registration after = matviews.registry().get("leaderboard");
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(after.lastRefreshError()).isEqualTo("materialized view no longer exists in database");
        assertThat(matviews.registry().history(ViewRef.of(registration.id()), 10)).singleElement()
                .satisfies(run -> assertThat(run.trigger()).isEqualTo(RefreshTrigger.SCHEDULE));
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    @Test
    void aCascadeWhoseViewWasDroppedReportsItAsAFailedOutcome() {
        AybMatviews matviews = instance(AdvisoryLockMode.SESSION);
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("DROP MATERIALIZED VIEW leaderboard");
        Figures.faults(1);

        CascadeRefreshResult result = matviews.refreshes().refresh(ViewRef.parse("leaderboard"), Cascade.UPSTREAM,
                RefreshTrigger.MANUAL);

        Figures.operations(1);
        assertThat(result.failure().code()).isEqualTo(ErrorCode.VIEW_NO_LONGER_EXISTS);
        assertThat(result.views()).singleElement().satisfies(outcome -> {
            assertThat(outcome.status()).isEqualTo(ViewRefreshOutcome.Status.FAILED);
            assertThat(outcome.error()).isEqualTo("materialized view no longer exists in database");
        });
        assertThat(result.registration().lastRefreshError()).isEqualTo("materialized view no longer exists in database");
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void aViewDroppedWhileTheRefreshHoldsItsLockIsReportedAsNoLongerExisting(AdvisoryLockMode mode) {
        AybMatviews matviews = instance(mode);
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        underTheLock.set(() -> PG.execute("DROP MATERIALIZED VIEW leaderboard"));
        Figures.faults(1);

        assertFailsWith(matviews, ErrorCode.VIEW_NO_LONGER_EXISTS, "materialized view no longer exists in database");
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void aUniqueIndexDroppedAfterRegistrationRefusesConcurrentRefresh(AdvisoryLockMode mode) {
        AybMatviews matviews = instance(mode);
        matviews.registry().register(QualifiedName.parse("leaderboard"), RefreshMode.CONCURRENT);
        PG.execute("DROP INDEX leaderboard_id_idx");
        Figures.faults(1);

        assertFailsWith(matviews, ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX,
                "concurrent refresh requires a unique index on the materialized view");
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void aUniqueIndexReplacedByAPartialOneRefusesConcurrentRefresh(AdvisoryLockMode mode) {
        AybMatviews matviews = instance(mode);
        matviews.registry().register(QualifiedName.parse("leaderboard"), RefreshMode.CONCURRENT);
        PG.execute("DROP INDEX leaderboard_id_idx", "CREATE UNIQUE INDEX leaderboard_partial ON leaderboard (id)"
                + " WHERE id > 0");
        Figures.faults(1);

        assertFailsWith(matviews, ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX,
                "concurrent refresh requires a unique index on the materialized view");
    }

    @ParameterizedTest
    @EnumSource(AdvisoryLockMode.class)
    void aUniqueIndexDroppedWhileTheRefreshHoldsItsLockRefusesConcurrentRefresh(AdvisoryLockMode mode) {
        AybMatviews matviews = instance(mode);
        matviews.registry().register(QualifiedName.parse("leaderboard"), RefreshMode.CONCURRENT);
        underTheLock.set(() -> PG.execute("DROP INDEX leaderboard_id_idx"));
        Figures.faults(1);

        assertFailsWith(matviews, ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX,
                "concurrent refresh requires a unique index on the materialized view");
    }

    @Test
    void aViewDroppedAndCreatedAgainUnderTheSameNameRefreshesUnderItsNewIdentity() {
        AybMatviews matviews = instance(AdvisoryLockMode.SESSION);
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("DROP MATERIALIZED VIEW leaderboard",
                "CREATE MATERIALIZED VIEW leaderboard AS SELECT id, name FROM users");
        Figures.faults(1);

        assertThat(matviews.refreshes().refresh("leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
        Figures.operations(1);
    }

    @Test
    void aRegistrationRemovedWhileItsViewRefreshesEndsWithNotFoundAndLeavesNothingBehind() throws Exception {
        AybMatviews matviews = instance(AdvisoryLockMode.SESSION);
        Registration registration = matviews.registry().register(QualifiedName.parse("leaderboard"));
        AybMatviews otherInstance = AybMatviews.builder().dataSource(HYGIENE.pool("other", 2)).build();
        underTheLock.set(() -> otherInstance.registry().unregister(ViewRef.of(registration.id())));
        Figures.faults(1);

        assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard")).isInstanceOfSatisfying(
                MatviewException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REGISTRATION_NOT_FOUND));
        Figures.operations(1);
        assertThat(HYGIENE.libraryLocks()).isZero();
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_refresh_runs")).isZero();
        assertThat(matviews.registry().list()).isEmpty();
    }

    private AybMatviews instance(AdvisoryLockMode mode) {
        RefreshListener listener = new RefreshListener() {
            @Override
            public void refreshStarted(QualifiedName view, RefreshMode refreshMode, RefreshTrigger trigger) {
                Runnable fault = underTheLock.getAndSet(null);
                if (fault != null) {
                    fault.run();
                }
            }
        };
        return AybMatviews.builder().dataSource(HYGIENE.pool("dropped-" + mode, 3)).lockMode(mode)
                .listener(listener).build();
    }

    private void assertFailsWith(AybMatviews matviews, ErrorCode code, String message) {
        assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard")).isInstanceOfSatisfying(
                MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).isEqualTo(message);
                    assertThat(e.httpStatus()).isEqualTo(code.httpStatus());
                });
        Figures.operations(1);
        assertThat(underTheLock.get()).as("the fault was injected").isNull();
        Registration after = matviews.registry().get("leaderboard");
        assertThat(after.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(after.lastRefreshError()).isEqualTo(message);
        assertThat(PG.libraryLocksHeld()).isZero();
    }
}
