package dev.ayb.matviews.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.FreshnessService;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.spi.ChangeTracker;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChangeTracker} must do, as the SPI's javadoc promises it, seen through the registry and the
 * refresh service it serves. An implementation runs it by extending this class.
 *
 * <p>The fixture, fresh for each test: {@link #view()} and {@link #otherView()} are materialized views that each
 * read the one table {@link #sourceTable()}; nothing is registered; the registry ({@link #newRegistry()}) and the
 * refreshes ({@link #refreshes(MatviewRegistry)}) are built on the tracker under test.
 */
public abstract class ChangeTrackerContract {
    private MatviewRegistry registry;
    private RefreshService refreshes;
    private FreshnessService freshnessService;

    /** Creates the fixture and returns the registry built on the tracker under test. */
    protected abstract MatviewRegistry newRegistry();

    /** Refreshes over the same store, locks and tracker as {@link #newRegistry()}'s registry. */
    protected abstract RefreshService refreshes(MatviewRegistry registry);

    /** A materialized view reading only {@link #sourceTable()}. */
    protected abstract QualifiedName view();

    /** A second view reading only {@link #sourceTable()}. */
    protected abstract QualifiedName otherView();

    protected abstract QualifiedName sourceTable();

    /** Writes one row to {@link #sourceTable()} and commits. */
    protected abstract void writeSourceAndCommit();

    @BeforeEach
    void openTheFixture() {
        registry = newRegistry();
        refreshes = refreshes(registry);
        freshnessService = new FreshnessService(registry);
    }

    @Test
    void anUntrackedViewIsUnknownAndHasNoSources() {
        Registration registered = registry.register(view());

        assertFalse(registered.changeTracking());
        assertEquals(Freshness.UNTRACKED, freshness(registered));
        assertEquals(List.of(), freshnessService.sources(ViewRef.of(registered.id())));
    }

    @Test
    void turningTrackingOnListsTheSourceWithItsTriggerAndTheViewIsBehindUntilItsNextRefresh() {
        Registration tracked = registry.register(view(), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);

        assertTrue(tracked.changeTracking());
        List<SourceTable> sources = freshnessService.sources(ViewRef.of(tracked.id()));
        assertEquals(1, sources.size(), "one source");
        assertEquals(sourceTable(), sources.get(0).qualifiedName());
        assertFalse(sources.get(0).partition());
        assertNotEquals(SourceTable.CAPTURE_NONE, sources.get(0).capture(), "its writes are captured");
        Freshness beforeRefresh = freshness(tracked);
        assertEquals(Freshness.State.BEHIND, beforeRefresh.state());
        assertNotNull(beforeRefresh.reason(), "behind for a reason, not for a change");
    }

    @Test
    void aTrackedViewIsCurrentAfterARefreshAndBehindOnceASourceWriteCommits() {
        Registration tracked = registry.register(view(), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);
        refreshes.refresh(ViewRef.of(tracked.id()));
        assertEquals(Freshness.current(), freshness(tracked));

        writeSourceAndCommit();

        Freshness behind = freshness(tracked);
        assertEquals(Freshness.State.BEHIND, behind.state());
        assertNotNull(behind.behindSince(), "behind since the change");
        assertNull(behind.reason());
        refreshes.refresh(ViewRef.of(tracked.id()));
        assertEquals(Freshness.current(), freshness(tracked));
    }

    @Test
    void freshnessAnswersForEveryRegistrationGivenInOneCall() {
        Registration tracked = registry.register(view(), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);
        Registration untracked = registry.register(otherView());
        refreshes.refresh(ViewRef.of(tracked.id()));

        Map<UUID, Freshness> all = freshnessService.of(List.of(tracked, untracked));

        assertEquals(Map.of(tracked.id(), Freshness.current(), untracked.id(), Freshness.UNTRACKED), all);
    }

    @Test
    void turningTrackingOffForgetsTheSourcesAndTheViewIsUnknownAgain() {
        Registration tracked = registry.register(view(), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);

        Registration off = registry.updateChangeTracking(ViewRef.of(tracked.id()), false);

        assertFalse(off.changeTracking());
        assertEquals(Freshness.UNTRACKED, freshness(off));
        assertEquals(List.of(), freshnessService.sources(ViewRef.of(off.id())));
    }

    @Test
    void aTableTwoTrackedViewsReadKeepsItsTriggerUntilTheLastOneStops() {
        Registration first = registry.register(view(), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);
        Registration second = registry.register(otherView(), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);

        registry.updateChangeTracking(ViewRef.of(first.id()), false);
        assertNotEquals(SourceTable.CAPTURE_NONE, freshnessService.sources(ViewRef.of(second.id())).get(0).capture(),
                "its capture is still needed by the other view");
        refreshes.refresh(ViewRef.of(second.id()));
        writeSourceAndCommit();
        assertEquals(Freshness.State.BEHIND, freshness(second).state(), "its writes are still recorded");
    }

    private Freshness freshness(Registration registration) {
        return freshnessService.of(List.of(registration)).get(registration.id());
    }
}
