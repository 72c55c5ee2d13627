package dev.ayb.matviews.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.spi.LockAttempt;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RefreshLocks;
import dev.ayb.matviews.spi.RefreshSession;
import dev.ayb.matviews.spi.RegistrationLockAttempt;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.spi.RunRecord;
import dev.ayb.matviews.spi.ViewState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RefreshLocks} (and the {@link RefreshSession}s it opens) must do, as the SPI's javadoc
 * promises it. An implementation runs it by extending this class; an implementation with modes (session or
 * transaction locks, say) extends it once per mode.
 *
 * <p>The fixture: {@link #view()} and {@link #otherView()} exist, are populated and have a usable unique
 * index; {@link #missingView()} does not exist; {@link #store()} holds no registration when a test starts.
 */
public abstract class RefreshLocksContract {
    private static final Instant STARTED = Instant.parse("2026-01-01T00:00:00Z");
    private static final RefreshTimeouts TIMEOUTS = RefreshTimeouts.of(Duration.ofSeconds(3), Duration.ofMinutes(2));

    /**
     * Locks as one more application instance sees them: each call may return a new instance, but all of them
     * share the locks (and the database) of the test.
     */
    protected abstract RefreshLocks newLocks();

    /** Where the sessions' records go; empty when the test starts. */
    protected abstract RegistrationStore store();

    /** An existing materialized view, populated, with a usable unique index. */
    protected abstract QualifiedName view();

    /** A second view like {@link #view()}. */
    protected abstract QualifiedName otherView();

    /** How many refresh locks are held right now, by any instance. */
    protected abstract long locksHeld();

    /**
     * The session settings a refresh may change (timeouts, transaction mode), as whoever uses the sessions'
     * resources next sees them: for a database, read on the connection {@code locks} lends next. An
     * implementation without such settings returns a constant.
     */
    protected abstract Object sessionSettings(RefreshLocks locks);

    /** A materialized view that does not exist. */
    protected QualifiedName missingView() {
        return QualifiedName.of("public", "no_such_view");
    }

    @Test
    void anExistingViewIsLockedAndDescribedAsTheCatalogSaysIt() {
        LockAttempt attempt = newLocks().tryLock(view(), RefreshMode.CONCURRENT, TIMEOUTS);

        try (RefreshSession session = assertInstanceOf(LockAttempt.Acquired.class, attempt).session()) {
            assertEquals(new ViewState(view(), true, true), session.view());
            assertEquals(1, locksHeld());
        }
        assertEquals(0, locksHeld(), "closing the session releases the lock");
    }

    @Test
    void aHeldLockIsBusyForEveryOtherTryInWhicheverModeAndTimeouts() {
        try (RefreshSession held = acquire(newLocks(), view())) {
            assertEquals(view(), held.view().name());
            assertInstanceOf(LockAttempt.Busy.class, newLocks().tryLock(view(), RefreshMode.STANDARD, TIMEOUTS));
            assertInstanceOf(LockAttempt.Busy.class, newLocks().tryLock(view(), RefreshMode.CONCURRENT,
                    RefreshTimeouts.NONE));
            assertEquals(1, locksHeld(), "a busy try takes nothing");
        }
    }

    @Test
    void aClosedSessionLetsTheNextTryTakeTheLock() {
        acquire(newLocks(), view()).close();

        try (RefreshSession next = acquire(newLocks(), view())) {
            assertEquals(view(), next.view().name());
        }
    }

    @Test
    void eachViewHasItsOwnLock() {
        RefreshLocks locks = newLocks();
        try (RefreshSession first = acquire(locks, view()); RefreshSession second = acquire(newLocks(), otherView())) {
            assertEquals(view(), first.view().name());
            assertEquals(otherView(), second.view().name());
            assertEquals(2, locksHeld());
        }
        assertEquals(0, locksHeld());
    }

    @Test
    void aMissingViewTakesNoLock() {
        assertInstanceOf(LockAttempt.ViewMissing.class,
                newLocks().tryLock(missingView(), RefreshMode.STANDARD, TIMEOUTS));

        assertEquals(0, locksHeld());
    }

    @Test
    void aRefreshRecordedInTheSessionIsStoredAndTheLockReleasedOnClose() {
        Registration registration = register(view());
        RunRecord run = new RunRecord(registration.id(), view(), RefreshMode.STANDARD, RefreshTrigger.MANUAL, STARTED,
                STARTED.plusSeconds(1), 1000, RefreshStatus.SUCCESS, null, null);
        RecordedRun recorded;
        try (RefreshSession session = acquire(newLocks(), view())) {
            session.refresh();
            recorded = session.record(run);
        }

        assertEquals(RefreshStatus.SUCCESS, recorded.registration().lastRefreshStatus());
        assertEquals(Optional.of(recorded.registration()), store().findById(registration.id()));
        assertEquals(1, store().history(registration.id(), 10).size());
        assertEquals(0, locksHeld());
    }

    @Test
    void closeRestoresTheSessionSettingsAfterARecordedRefresh() {
        Registration registration = register(view());
        RefreshLocks locks = newLocks();
        Object before = sessionSettings(locks);
        try (RefreshSession session = acquire(locks, view())) {
            session.refresh();
            session.record(new RunRecord(registration.id(), view(), RefreshMode.STANDARD, RefreshTrigger.MANUAL,
                    STARTED, STARTED.plusSeconds(1), 1000, RefreshStatus.SUCCESS, null, null));
        }

        assertEquals(before, sessionSettings(locks));
    }

    @Test
    void closeRestoresTheSessionSettingsWhenNothingWasRecorded() {
        RefreshLocks locks = newLocks();
        Object before = sessionSettings(locks);
        acquire(locks, view()).close();

        assertEquals(before, sessionSettings(locks));
        assertEquals(0, locksHeld());
    }

    @Test
    void lockingByReferenceFindsTheRegistrationThenLocksItsView() {
        Registration registration = register(view());

        Optional<RegistrationLockAttempt> attempt = newLocks().tryLock(ViewRef.of(registration.id()), store(),
                TIMEOUTS);

        assertTrue(attempt.isPresent());
        try (RefreshSession session = assertInstanceOf(LockAttempt.Acquired.class, attempt.get().attempt()).session()) {
            assertEquals(registration, attempt.get().registration());
            assertEquals(view(), session.view().name());
            assertInstanceOf(LockAttempt.Busy.class, newLocks().tryLock(ViewRef.of(view()), store(), TIMEOUTS)
                    .orElseThrow().attempt());
        }
    }

    @Test
    void lockingAnUnknownReferenceTriesNoLock() {
        register(view());

        assertEquals(Optional.empty(), newLocks().tryLock(ViewRef.of(UUID.randomUUID()), store(), TIMEOUTS));
        assertEquals(Optional.empty(), newLocks().tryLock(ViewRef.of(otherView()), store(), TIMEOUTS));
        assertEquals(0, locksHeld());
    }

    private static RefreshSession acquire(RefreshLocks locks, QualifiedName view) {
        return assertInstanceOf(LockAttempt.Acquired.class, locks.tryLock(view, RefreshMode.STANDARD, TIMEOUTS))
                .session();
    }

    private Registration register(QualifiedName view) {
        return store().insert(new Registration(UUID.randomUUID(), view.schema(), view.view(), RefreshMode.STANDARD,
                RefreshTimeouts.NONE, false, null, null, null, null, null, STARTED, STARTED));
    }
}
