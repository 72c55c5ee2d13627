package dev.ayb.matviews.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.FreshnessService;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.spi.ChangeTracker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Core's change-tracking rules, whatever the tracker: checked with a scripted one on the in-memory SPIs. */
class ChangeTrackingRulesTest {
    private static final QualifiedName LEADERBOARD = QualifiedName.of("public", "leaderboard");
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryCatalog catalog = new InMemoryCatalog();
    private final InMemoryRegistrationStore store = new InMemoryRegistrationStore();
    private final InMemoryRefreshLocks locks = new InMemoryRefreshLocks(catalog, store);
    private final ScriptedTracker tracker = new ScriptedTracker();
    private final MatviewRegistry registry = new MatviewRegistry(store, catalog, tracker, clock);
    private final List<RefreshRun> skippedRuns = new ArrayList<>();
    private final RefreshService refreshes = new RefreshService(registry, store, locks, clock, RefreshTimeouts.NONE,
            new RefreshListener() {
                @Override
                public void refreshSkipped(RefreshRun run) {
                    skippedRuns.add(run);
                }
            });

    private Registration tracked() {
        catalog.create(LEADERBOARD);
        return store.insert(new Registration(UUID.randomUUID(), LEADERBOARD.schema(), LEADERBOARD.view(),
                RefreshMode.STANDARD, RefreshTimeouts.NONE, true, null, null, null, null, null, NOW, NOW));
    }

    @Test
    void ifChangedSkipsACurrentViewWithoutLockingOrRefreshingAndRecordsOnlyAHistoryRow() {
        Registration registration = tracked();
        tracker.freshness = Freshness.current();

        RefreshResult result = refreshes.refresh(ViewRef.of(LEADERBOARD), true);

        assertThat(result.skipped()).isTrue();
        assertThat(result.skipReason()).isEqualTo(RefreshService.SKIPPED_UNCHANGED);
        assertThat(result.registration()).isEqualTo(registration);
        assertThat(store.findById(registration.id())).contains(registration);
        assertThat(locks.journal()).isEmpty();
        assertThat(tracker.calls).containsExactly("freshness " + LEADERBOARD);
        List<RefreshRun> history = store.history(registration.id(), 10);
        assertThat(history).hasSize(1);
        assertThat(history.get(0).status()).isEqualTo(RefreshStatus.SKIPPED);
        assertThat(history.get(0).trigger()).isEqualTo(RefreshTrigger.MANUAL);
        assertThat(skippedRuns).containsExactlyElementsOf(history);
    }

    @Test
    void ifChangedRefreshesABehindViewAfterReSyncingItsTriggers() {
        Registration registration = tracked();
        tracker.freshness = Freshness.changedSince(NOW);

        RefreshResult result = refreshes.refresh(registration, RefreshTrigger.SCHEDULE, true);

        assertThat(result.skipped()).isFalse();
        assertThat(result.skipReason()).isNull();
        assertThat(result.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(tracker.calls).containsExactly("freshness " + LEADERBOARD, "sync " + LEADERBOARD);
        assertThat(locks.journal()).contains("refresh " + LEADERBOARD);
    }

    @Test
    void aViewThatIsNotTrackedAlwaysRefreshesAndIsNeverChecked() {
        catalog.create(LEADERBOARD);
        registry.register(LEADERBOARD);

        assertThat(refreshes.refresh(LEADERBOARD.toString(), true).skipped()).isFalse();

        assertThat(tracker.calls).isEmpty();
        assertThat(locks.journal()).contains("refresh " + LEADERBOARD);
    }

    @Test
    void aFailedReSyncDoesNotCostTheRefresh() {
        tracked();
        tracker.syncFailure = new MatviewException(ErrorCode.TRACKING_PERMISSION_DENIED, "no TRIGGER privilege");

        assertThat(refreshes.refresh(ViewRef.of(LEADERBOARD)).registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void registeringWithTrackingThatCannotBeInstalledLeavesNoRegistration() {
        catalog.create(LEADERBOARD);
        tracker.enableFailure = new MatviewException(ErrorCode.TRACKING_PERMISSION_DENIED, "no TRIGGER privilege");

        assertThatThrownBy(() -> registry.register(LEADERBOARD, RefreshMode.STANDARD, RefreshTimeouts.NONE, true))
                .isSameAs(tracker.enableFailure);

        assertThat(registry.find(ViewRef.of(LEADERBOARD))).isEmpty();
    }

    @Test
    void trackingIsTurnedOffBeforeAnUnregistrationAndOnlyForATrackedView() {
        tracked();
        registry.unregister(ViewRef.of(LEADERBOARD));
        assertThat(tracker.calls).containsExactly("disable " + LEADERBOARD);

        tracker.calls.clear();
        registry.register(LEADERBOARD);
        registry.unregister(ViewRef.of(LEADERBOARD));
        assertThat(tracker.calls).isEmpty();
    }

    @Test
    void withoutATrackerTurningTrackingOnIsRefusedAndEveryViewIsUnknown() {
        MatviewRegistry untracked = new MatviewRegistry(store, catalog, clock);
        catalog.create(LEADERBOARD);

        assertThatThrownBy(() -> untracked.register(LEADERBOARD, RefreshMode.STANDARD, RefreshTimeouts.NONE, true))
                .isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(untracked.find(ViewRef.of(LEADERBOARD))).isEmpty();
        Registration registered = untracked.register(LEADERBOARD);
        assertThat(new FreshnessService(untracked).ofAll()).containsExactly(
                Map.entry(registered.id(), Freshness.UNTRACKED));
    }

    /** Answers what the test sets, and notes every call. */
    private static final class ScriptedTracker implements ChangeTracker {
        final List<String> calls = new ArrayList<>();
        Freshness freshness = Freshness.current();
        MatviewException enableFailure;
        MatviewException syncFailure;

        @Override
        public Registration enable(Registration registration) {
            calls.add("enable " + registration.qualifiedName());
            if (enableFailure != null) {
                throw enableFailure;
            }
            return registration;
        }

        @Override
        public Registration disable(Registration registration) {
            calls.add("disable " + registration.qualifiedName());
            return registration;
        }

        @Override
        public void sync(Registration registration) {
            calls.add("sync " + registration.qualifiedName());
            if (syncFailure != null) {
                throw syncFailure;
            }
        }

        @Override
        public Map<UUID, Freshness> freshness(Collection<Registration> registrations) {
            Map<UUID, Freshness> all = new HashMap<>();
            for (Registration registration : registrations) {
                calls.add("freshness " + registration.qualifiedName());
                all.put(registration.id(), registration.changeTracking() ? freshness : Freshness.UNTRACKED);
            }
            return all;
        }

        @Override
        public List<SourceTable> sources(Registration registration) {
            return List.of();
        }
    }
}
