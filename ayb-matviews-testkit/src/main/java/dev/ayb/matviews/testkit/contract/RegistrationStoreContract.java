package dev.ayb.matviews.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.RegistrationPage;
import dev.ayb.matviews.RegistrationQuery;
import dev.ayb.matviews.RegistrationSort;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RegistrationStore} must do, as its javadoc promises it. An implementation runs it by
 * extending this class and returning a fresh, empty store from {@link #newStore()}.
 *
 * <p>Instants are whole seconds, so a store may keep them at any precision down to microseconds.
 */
public abstract class RegistrationStoreContract {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private RegistrationStore store;

    /** A store holding no registrations; called before each test. */
    protected abstract RegistrationStore newStore();

    @BeforeEach
    void openTheStore() {
        store = newStore();
    }

    @Test
    void anInsertedRegistrationIsFoundByIdAndByName() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.CONCURRENT));

        assertEquals(Optional.of(inserted), store.findById(inserted.id()));
        assertEquals(Optional.of(inserted), store.findByName(QualifiedName.of("public", "leaderboard")));
        assertEquals(RefreshMode.CONCURRENT, inserted.refreshMode());
        assertTrue(inserted.neverRefreshed());
    }

    @Test
    void aSecondRegistrationOfTheSameViewIsAlreadyRegistered() {
        store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));

        MatviewException refused = assertThrows(MatviewException.class,
                () -> store.insert(registration("public", "leaderboard", RefreshMode.CONCURRENT)));

        assertEquals(ErrorCode.ALREADY_REGISTERED, refused.code());
        assertEquals(1, store.findAll().size());
    }

    @Test
    void anUnknownIdOrNameFindsNothing() {
        store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));

        assertEquals(Optional.empty(), store.findById(UUID.randomUUID()));
        assertEquals(Optional.empty(), store.findByName(QualifiedName.of("public", "other_view")));
        assertEquals(Optional.empty(), store.findByName(QualifiedName.of("other", "leaderboard")));
    }

    @Test
    void findAllIsOrderedBySchemaThenView() {
        store.insert(registration("beta", "alpha", RefreshMode.STANDARD));
        store.insert(registration("alpha", "zulu", RefreshMode.STANDARD));
        store.insert(registration("alpha", "bravo", RefreshMode.STANDARD));

        assertEquals(List.of(QualifiedName.of("alpha", "bravo"), QualifiedName.of("alpha", "zulu"),
                        QualifiedName.of("beta", "alpha")),
                store.findAll().stream().map(Registration::qualifiedName).toList());
    }

    @Test
    void updateReplacesModeAndTimeoutsAndKeepsTheRest() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        RefreshTimeouts timeouts = RefreshTimeouts.of(Duration.ofSeconds(3), Duration.ofMinutes(2));
        Instant later = CREATED.plusSeconds(60);

        Optional<Registration> updated = store.update(inserted.id(), RefreshMode.CONCURRENT, timeouts, later);

        Registration expected = new Registration(inserted.id(), "public", "leaderboard", RefreshMode.CONCURRENT,
                timeouts, false, null, null, null, null, null, inserted.createdAt(), later);
        assertEquals(Optional.of(expected), updated);
        assertEquals(Optional.of(expected), store.findById(inserted.id()));
    }

    @Test
    void updatingAnUnknownIdChangesNothing() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));

        assertEquals(Optional.empty(), store.update(UUID.randomUUID(), RefreshMode.CONCURRENT, RefreshTimeouts.NONE,
                CREATED.plusSeconds(60)));
        assertEquals(Optional.of(inserted), store.findById(inserted.id()));
    }

    @Test
    void aTargetLagIsSetKeptAcrossUpdatesAndClearedWithNull() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        Instant later = CREATED.plusSeconds(60);

        Registration targeted = store.updateTargetLag(inserted.id(), 30_000L, later).orElseThrow();

        assertEquals(30_000L, targeted.targetLagMs());
        assertEquals(later, targeted.updatedAt());
        assertEquals(Optional.of(targeted), store.findById(inserted.id()));
        assertEquals(30_000L, store.update(inserted.id(), RefreshMode.CONCURRENT, RefreshTimeouts.NONE,
                later.plusSeconds(1)).orElseThrow().targetLagMs(), "a mode change keeps the target");
        assertEquals(null, store.updateTargetLag(inserted.id(), null, later.plusSeconds(2)).orElseThrow()
                .targetLagMs());
        assertEquals(Optional.empty(), store.updateTargetLag(UUID.randomUUID(), 5_000L, later));
    }

    @Test
    void deleteRemovesTheRegistrationAndItsHistory() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        store.recordRun(run(inserted, RefreshStatus.SUCCESS, 10));

        assertTrue(store.delete(inserted.id()));

        assertEquals(Optional.empty(), store.findById(inserted.id()));
        assertEquals(List.of(), store.history(inserted.id(), 10));
        assertFalse(store.delete(inserted.id()), "a second delete finds nothing");
    }

    @Test
    void deletingAnUnknownIdIsFalseAndKeepsTheOthers() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));

        assertFalse(store.delete(UUID.randomUUID()));
        assertEquals(List.of(inserted), store.findAll());
    }

    @Test
    void aRecordedRunBecomesTheLastRefreshAndAHistoryRow() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        RunRecord run = run(inserted, RefreshStatus.SUCCESS, 10);

        RecordedRun recorded = store.recordRun(run);

        assertLastRefresh(recorded.registration(), run);
        assertEquals(Optional.of(recorded.registration()), store.findById(inserted.id()));
        assertSameRun(run, recorded.run());
        assertEquals(List.of(recorded.run()), store.history(inserted.id(), 10));
    }

    @Test
    void aFailedRunKeepsItsErrorAndSqlState() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.CONCURRENT));
        RunRecord run = new RunRecord(inserted.id(), inserted.qualifiedName(), RefreshMode.CONCURRENT,
                RefreshTrigger.SCHEDULE, at(10), at(11), 1000, RefreshStatus.ERROR, "canceling statement", "57014");

        RecordedRun recorded = store.recordRun(run);

        assertLastRefresh(recorded.registration(), run);
        assertEquals("canceling statement", recorded.registration().lastRefreshError());
        assertSameRun(run, store.history(inserted.id(), 1).get(0));
    }

    @Test
    void lastSuccessAtIsTheStartOfTheLastSuccessAndAFailureLeavesIt() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        assertNull(inserted.lastSuccessAt(), "no data age before the first success");
        assertNull(store.recordRun(run(inserted, RefreshStatus.ERROR, 5)).registration().lastSuccessAt(),
                "a failure is not data");

        RunRecord success = run(inserted, RefreshStatus.SUCCESS, 10);
        assertEquals(success.startedAt(), store.recordRun(success).registration().lastSuccessAt());

        Registration afterFailure = store.recordRun(run(inserted, RefreshStatus.ERROR, 20)).registration();
        assertEquals(RefreshStatus.ERROR, afterFailure.lastRefreshStatus());
        assertEquals(success.startedAt(), afterFailure.lastSuccessAt(), "a failed refresh keeps the data's age");
        assertEquals(Optional.of(afterFailure), store.findById(inserted.id()));
    }

    @Test
    void aSkippedRunIsAHistoryRowThatLeavesTheRegistrationAsItWas() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        Registration refreshed = store.recordRun(run(inserted, RefreshStatus.SUCCESS, 10)).registration();
        RunRecord skipped = run(inserted, RefreshStatus.SKIPPED, 20);

        RecordedRun recorded = store.recordRun(skipped);

        assertEquals(refreshed, recorded.registration(), "a skipped run is not a refresh: lastRefresh* stay");
        assertEquals(Optional.of(refreshed), store.findById(inserted.id()));
        assertSameRun(skipped, recorded.run());
        List<RefreshRun> history = store.history(inserted.id(), 10);
        assertEquals(2, history.size());
        assertSameRun(skipped, history.get(0));
        assertEquals(RefreshStatus.SKIPPED, history.get(0).status());
    }

    @Test
    void aLateRunDoesNotReplaceARefreshThatFinishedAfterItButIsKeptInTheHistory() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        RunRecord newer = run(inserted, RefreshStatus.SUCCESS, 20);
        store.recordRun(newer);
        RunRecord late = new RunRecord(inserted.id(), inserted.qualifiedName(), RefreshMode.STANDARD,
                RefreshTrigger.MANUAL, at(10), at(11), 1000, RefreshStatus.ERROR, "connection lost", "08006");

        RecordedRun recorded = store.recordLateRun(late);

        assertLastRefresh(recorded.registration(), newer);
        assertEquals(Optional.of(recorded.registration()), store.findById(inserted.id()));
        assertSameRun(late, recorded.run());
        List<RefreshRun> history = store.history(inserted.id(), 10);
        assertEquals(2, history.size());
        assertSameRun(late, history.get(0));
        assertSameRun(newer, history.get(1));
    }

    @Test
    void aLateSuccessStillMovesLastSuccessAtWhenOnlyAFailureFinishedAfterIt() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        RunRecord earlier = run(inserted, RefreshStatus.SUCCESS, 5);
        store.recordRun(earlier);
        RunRecord newerFailure = run(inserted, RefreshStatus.ERROR, 20);
        store.recordRun(newerFailure);
        RunRecord lateSuccess = run(inserted, RefreshStatus.SUCCESS, 10);

        Registration after = store.recordLateRun(lateSuccess).registration();

        assertLastRefresh(after, newerFailure);
        assertEquals(lateSuccess.startedAt(), after.lastSuccessAt(), "the view's data is as of the late success");
        assertEquals(Optional.of(after), store.findById(inserted.id()));
        RunRecord newerSuccess = run(inserted, RefreshStatus.SUCCESS, 30);
        store.recordRun(newerSuccess);
        assertEquals(newerSuccess.startedAt(), store.recordLateRun(run(inserted, RefreshStatus.SUCCESS, 25))
                .registration().lastSuccessAt(), "never moved back by a success that started earlier");
    }

    @Test
    void aLateRunIsTheLastRefreshWhenNothingFinishedAfterIt() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        store.recordRun(run(inserted, RefreshStatus.SUCCESS, 10));
        RunRecord late = new RunRecord(inserted.id(), inserted.qualifiedName(), RefreshMode.STANDARD,
                RefreshTrigger.MANUAL, at(20), at(21), 1000, RefreshStatus.ERROR, "connection lost", "08006");

        RecordedRun recorded = store.recordLateRun(late);

        assertLastRefresh(recorded.registration(), late);
        assertEquals("connection lost", recorded.registration().lastRefreshError());
    }

    @Test
    void historyIsNewestFirstAndHonoursTheLimit() {
        Registration inserted = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        RunRecord first = run(inserted, RefreshStatus.SUCCESS, 10);
        RunRecord second = run(inserted, RefreshStatus.ERROR, 20);
        RunRecord third = run(inserted, RefreshStatus.SUCCESS, 30);
        store.recordRun(first);
        store.recordRun(second);
        store.recordRun(third);

        List<RefreshRun> all = store.history(inserted.id(), 10);
        assertEquals(3, all.size());
        assertSameRun(third, all.get(0));
        assertSameRun(second, all.get(1));
        assertSameRun(first, all.get(2));
        assertEquals(all.subList(0, 2), store.history(inserted.id(), 2));
    }

    @Test
    void historyHoldsOnlyTheRunsOfThatRegistration() {
        Registration leaderboard = store.insert(registration("public", "leaderboard", RefreshMode.STANDARD));
        Registration totals = store.insert(registration("public", "totals", RefreshMode.STANDARD));
        RunRecord run = run(totals, RefreshStatus.SUCCESS, 10);
        store.recordRun(run);

        assertEquals(List.of(), store.history(leaderboard.id(), 10));
        assertEquals(1, store.history(totals.id(), 10).size());
        assertTrue(store.findById(leaderboard.id()).orElseThrow().neverRefreshed(),
                "another view's run leaves this one unrefreshed");
    }

    @Test
    void aPageCountsEveryMatchAndHoldsItsSliceInOrder() {
        for (String view : List.of("e", "d", "c", "b", "a")) {
            store.insert(registration("public", view, RefreshMode.STANDARD));
        }

        RegistrationPage second = store.findPage(new RegistrationQuery(2, 2, null, RegistrationSort.VIEW_NAME, false));
        RegistrationPage beyond = store.findPage(new RegistrationQuery(9, 2, null, RegistrationSort.VIEW_NAME, false));

        assertEquals(List.of("c", "d"), second.items().stream().map(Registration::viewName).toList());
        assertEquals(5, second.totalItems());
        assertEquals(3, second.totalPages());
        assertEquals(List.of(), beyond.items());
        assertEquals(5, beyond.totalItems());
    }

    @Test
    void theFilterTakesWildcardsLiterallyAndMatchesModeAndStatusWords() {
        store.insert(registration("public", "a_1", RefreshMode.STANDARD));
        store.insert(registration("public", "ab1", RefreshMode.CONCURRENT));
        Registration refreshed = store.insert(registration("other", "zeta", RefreshMode.STANDARD));
        store.recordRun(run(refreshed, RefreshStatus.ERROR, 10));

        assertEquals(List.of("a_1"), names(query("A_")));
        assertEquals(List.of(), names(query("%")));
        assertEquals(List.of("zeta"), names(query("other.z")));
        assertEquals(List.of("ab1"), names(query("concurrent")));
        assertEquals(List.of("zeta"), names(query("error")));
        assertEquals(List.of("a_1", "ab1"), names(query("never")));
    }

    @Test
    void aDescendingSortKeepsNeverRefreshedViewsLast() {
        Registration older = store.insert(registration("public", "older", RefreshMode.STANDARD));
        Registration newer = store.insert(registration("public", "newer", RefreshMode.STANDARD));
        store.insert(registration("public", "never", RefreshMode.STANDARD));
        store.recordRun(run(older, RefreshStatus.SUCCESS, 10));
        store.recordRun(run(newer, RefreshStatus.SUCCESS, 20));

        RegistrationPage page = store.findPage(new RegistrationQuery(1, 10, null, RegistrationSort.LAST_REFRESH_AT,
                true));

        assertEquals(List.of("newer", "older", "never"), names(page));
    }

    private RegistrationPage query(String filter) {
        return store.findPage(new RegistrationQuery(1, 50, filter, RegistrationSort.SCHEMA_NAME, false));
    }

    private static List<String> names(RegistrationPage page) {
        return page.items().stream().map(Registration::viewName).toList();
    }

    private static Registration registration(String schema, String view, RefreshMode mode) {
        return new Registration(UUID.randomUUID(), schema, view, mode, RefreshTimeouts.NONE, false, null, null, null,
                null, null, CREATED, CREATED);
    }

    /** A run of the registration that started at second {@code start} and took one second. */
    private static RunRecord run(Registration registration, RefreshStatus status, int start) {
        boolean failed = status == RefreshStatus.ERROR;
        return new RunRecord(registration.id(), registration.qualifiedName(), registration.refreshMode(),
                RefreshTrigger.MANUAL, at(start), at(start + 1), 1000, status, failed ? "failed at " + start : null,
                failed ? "XX000" : null);
    }

    private static Instant at(int second) {
        return CREATED.plusSeconds(second);
    }

    private static void assertLastRefresh(Registration registration, RunRecord run) {
        assertEquals(run.finishedAt(), registration.lastRefreshAt(), "lastRefreshAt is when the run finished");
        assertEquals(run.durationMs(), registration.lastRefreshDurationMs());
        assertEquals(run.status(), registration.lastRefreshStatus());
        if (run.status() == RefreshStatus.SUCCESS) {
            assertNull(registration.lastRefreshError());
        } else {
            assertEquals(run.error(), registration.lastRefreshError());
        }
    }

    private static void assertSameRun(RunRecord expected, RefreshRun actual) {
        assertEquals(expected.registrationId(), actual.registrationId());
        assertEquals(expected.view(), actual.qualifiedName());
        assertEquals(expected.mode(), actual.refreshMode());
        assertEquals(expected.trigger(), actual.trigger());
        assertEquals(expected.startedAt(), actual.startedAt());
        assertEquals(expected.finishedAt(), actual.finishedAt());
        assertEquals(expected.durationMs(), actual.durationMs());
        assertEquals(expected.status(), actual.status());
        assertEquals(expected.error(), actual.error());
        assertEquals(expected.sqlState(), actual.sqlState());
    }
}
