package dev.ayb.matviews.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.ViewRefreshOutcome;
import dev.ayb.matviews.spi.LockAttempt;
import dev.ayb.matviews.spi.RefreshSession;
import dev.ayb.matviews.spi.ViewState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Core's refresh rules, which hold whatever the storage, checked on the in-memory SPIs: no database, so they
 * run in milliseconds. (They live here rather than in core's own tests because the testkit depends on core:
 * core's tests depending on the testkit would make a reactor cycle.)
 */
class RefreshServiceRulesTest {
    private static final QualifiedName EVENTS = QualifiedName.of("public", "events");
    private static final QualifiedName TOTALS = QualifiedName.of("public", "totals");
    private static final QualifiedName LEADERBOARD = QualifiedName.of("public", "leaderboard");

    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final InMemoryRegistrationStore store = new InMemoryRegistrationStore();
    private final InMemoryRefreshLocks locks = new InMemoryRefreshLocks(catalog, store);
    private final MatviewRegistry registry = new MatviewRegistry(store, catalog, clock);
    private final RefreshService refreshes = new RefreshService(registry, store, locks, clock, RefreshTimeouts.NONE,
            RefreshListener.NONE);

    @Test
    void aRefreshRejectedBecauseAnotherHoldsTheLockRecordsNothing() {
        catalog.create(LEADERBOARD);
        Registration registered = registry.register(LEADERBOARD);
        LockAttempt held = locks.anotherInstance().tryLock(LEADERBOARD, RefreshMode.STANDARD, RefreshTimeouts.NONE);

        try (RefreshSession otherRefresh = ((LockAttempt.Acquired) held).session()) {
            assertThat(refusalOf(ViewRef.of(LEADERBOARD)).code()).isEqualTo(ErrorCode.REFRESH_IN_PROGRESS);
            assertThat(otherRefresh.view().name()).isEqualTo(LEADERBOARD);
        }

        assertThat(store.history(registered.id(), 10)).isEmpty();
        assertThat(store.findById(registered.id())).contains(registered);
        assertThat(locks.journal()).containsExactly("lock " + LEADERBOARD, "release " + LEADERBOARD);
    }

    @Test
    void concurrentlyWithoutAUsableUniqueIndexIsRecordedAsAFailedRunAndNeverAttempted() {
        catalog.create(new ViewState(LEADERBOARD, true, false));
        Registration registered = registry.register(LEADERBOARD, RefreshMode.CONCURRENT);

        MatviewException refused = refusalOf(ViewRef.of(LEADERBOARD));

        assertThat(refused.code()).isEqualTo(ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX);
        assertThat(locks.journal()).doesNotContain("refresh " + LEADERBOARD);
        assertFailedRunRecorded(registered, refused);
    }

    @Test
    void concurrentlyOnAViewNotYetPopulatedIsRecordedAsAFailedRunAndNeverAttempted() {
        catalog.create(new ViewState(LEADERBOARD, false, true));
        Registration registered = registry.register(LEADERBOARD, RefreshMode.CONCURRENT);

        MatviewException refused = refusalOf(ViewRef.of(LEADERBOARD));

        assertThat(refused.code()).isEqualTo(ErrorCode.CONCURRENT_REQUIRES_POPULATED);
        assertThat(locks.journal()).doesNotContain("refresh " + LEADERBOARD);
        assertFailedRunRecorded(registered, refused);
    }

    @Test
    void theSameViewRefreshesInStandardModeWithoutTheConcurrentPrerequisites() {
        catalog.create(new ViewState(LEADERBOARD, false, false));
        Registration registered = registry.register(LEADERBOARD, RefreshMode.STANDARD);

        refreshes.refresh(ViewRef.of(LEADERBOARD));

        assertThat(locks.journal()).contains("refresh " + LEADERBOARD);
        assertThat(store.findById(registered.id()).orElseThrow().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void aCascadeStopsAtTheFirstFailureAndReportsTheRestAsSkipped() {
        // leaderboard reads totals, which reads events.
        catalog.create(EVENTS).create(TOTALS).create(LEADERBOARD)
                .dependsOn(TOTALS, EVENTS).dependsOn(LEADERBOARD, TOTALS);
        registry.register(LEADERBOARD);
        MatviewException boom = new MatviewException(ErrorCode.REFRESH_FAILED, "refresh of public.totals failed: boom");
        locks.failRefreshOf(TOTALS, boom);

        CascadeRefreshResult result = refreshes.refresh(ViewRef.of(LEADERBOARD), Cascade.UPSTREAM,
                RefreshTrigger.MANUAL);

        assertThat(result.views()).extracting(ViewRefreshOutcome::view, ViewRefreshOutcome::status).containsExactly(
                tuple(EVENTS, ViewRefreshOutcome.Status.REFRESHED),
                tuple(TOTALS, ViewRefreshOutcome.Status.FAILED),
                tuple(LEADERBOARD, ViewRefreshOutcome.Status.SKIPPED));
        assertThat(result.firstFailure()).containsSame(boom);
        assertThat(locks.journal()).doesNotContain("lock " + LEADERBOARD, "refresh " + LEADERBOARD);
        assertThat(store.findByName(LEADERBOARD).orElseThrow().neverRefreshed()).isTrue();
    }

    @Test
    void theOutcomeIsRecordedWhileTheLockIsStillHeld() {
        catalog.create(LEADERBOARD);
        registry.register(LEADERBOARD);

        refreshes.refresh(ViewRef.of(LEADERBOARD));

        assertThat(locks.journal()).containsExactly("lock " + LEADERBOARD, "refresh " + LEADERBOARD,
                "record " + LEADERBOARD, "release " + LEADERBOARD);
    }

    @Test
    void aFailedRefreshIsRecordedUnderTheLockAndThrownWithItsMessage() {
        catalog.create(LEADERBOARD);
        Registration registered = registry.register(LEADERBOARD);
        locks.failRefreshOf(LEADERBOARD, new MatviewException(ErrorCode.REFRESH_FAILED,
                "refresh of public.leaderboard failed: boom"));

        assertThatThrownBy(() -> refreshes.refresh(ViewRef.of(LEADERBOARD)))
                .hasMessage("refresh of public.leaderboard failed: boom");

        assertThat(locks.journal()).containsExactly("lock " + LEADERBOARD, "refresh " + LEADERBOARD,
                "record " + LEADERBOARD, "release " + LEADERBOARD);
        assertThat(store.findById(registered.id()).orElseThrow().lastRefreshError())
                .isEqualTo("refresh of public.leaderboard failed: boom");
    }

    private MatviewException refusalOf(ViewRef ref) {
        MatviewException refused = catchThrowableOfType(MatviewException.class, () -> refreshes.refresh(ref));
        assertThat(refused).as("the refresh of %s fails", ref).isNotNull();
        return refused;
    }

    private void assertFailedRunRecorded(Registration registered, MatviewException refused) {
        List<RefreshRun> history = store.history(registered.id(), 10);
        assertThat(history).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RefreshStatus.ERROR);
            assertThat(run.error()).isEqualTo(refused.getMessage());
        });
        assertThat(store.findById(registered.id()).orElseThrow().lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(locks.locksHeld()).isZero();
    }
}
