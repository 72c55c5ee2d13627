package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.support.TargetedViews.Snapshot;
import dev.ayb.matviews.jdbc.support.TargetedViews.TargetedView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The planning rules on their own: due time, spacing, expected duration, stacked views and the cap. */
class TargetLagPlanTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    private static final TargetLagOptions OPTIONS = TargetLagOptions.defaults();

    @Test
    void aBehindViewIsDueItsTargetAfterTheChangeLessItsExpectedDurationAndATenthForQueueing() {
        TargetedView view = tracked("orders_daily", 10_000, T0.minusSeconds(60), Freshness.changedSince(T0), 2_000L);

        TargetLagPlan plan = TargetLagPlan.of(new Snapshot(List.of(view), 0), T0.plusSeconds(1), OPTIONS);

        assertThat(plan.plans()).containsEntry(view.registration().id(), T0.plusSeconds(7));
        assertThat(plan.groups()).isEmpty();
        assertThat(plan.nextDue()).isEqualTo(T0.plusSeconds(7));
        assertThat(TargetLagPlan.of(new Snapshot(List.of(view), 0), T0.plusSeconds(7), OPTIONS).groups())
                .containsExactly(List.of(view.registration()));
    }

    @Test
    void withoutAnyHistoryTheLastRefreshDurationIsTheEstimateAndWithoutThatNothingIsSubtracted() {
        TargetedView view = tracked("orders_daily", 10_000, null, Freshness.changedSince(T0), null);

        assertThat(TargetLagPlan.of(new Snapshot(List.of(view), 0), T0, OPTIONS).plans())
                .containsEntry(view.registration().id(), T0.plusSeconds(9));
    }

    @Test
    void aCurrentViewNeedsNothingAndIsNeverEnqueued() {
        TargetedView view = tracked("orders_daily", 10_000, T0, Freshness.current(), 100L);

        TargetLagPlan plan = TargetLagPlan.of(new Snapshot(List.of(view), 0), T0.plus(Duration.ofDays(1)), OPTIONS);

        assertThat(plan.plans().get(view.registration().id())).isNull();
        assertThat(plan.groups()).isEmpty();
        assertThat(plan.nextDue()).isNull();
    }

    @Test
    void aBurstRightAfterARefreshWaitsForTheMinimumSpacing() {
        // Refreshed at T0 and written 100 ms later: a 4 s target less 3 s expected and 0.4 s would be due at T0 + 0.7 s, but
        // the spacing (by default a quarter of the target) holds it until T0 + 1 s, so a burst costs one refresh.
        TargetedView burst = tracked("orders_daily", 4_000, T0, Freshness.changedSince(T0.plusMillis(100)), 3_000L);

        assertThat(TargetLagPlan.of(new Snapshot(List.of(burst), 0), T0.plusMillis(200), OPTIONS).plans())
                .containsEntry(burst.registration().id(), T0.plusSeconds(1));
        assertThat(TargetLagPlan.of(new Snapshot(List.of(burst), 0), T0.plusMillis(200),
                OPTIONS.withMinSpacing(Duration.ofSeconds(3))).plans())
                .containsEntry(burst.registration().id(), T0.plusSeconds(3));
    }

    @Test
    void anUntrackedViewWithATargetIsRefreshedEveryTargetPeriodFromItsLastSuccess() {
        Registration registration = registration("orders_daily", 10_000, false, T0, T0, 1_000L);
        TargetedView view = new TargetedView(registration, Freshness.UNTRACKED, 1_000L, List.of(), false);

        assertThat(TargetLagPlan.of(new Snapshot(List.of(view), 0), T0, OPTIONS).plans())
                .containsEntry(registration.id(), T0.plusSeconds(8));
    }

    @Test
    void aViewNeverRefreshedOrBehindForAReasonIsDueFromItsLastSuccess() {
        TargetedView never = tracked("orders_daily", 10_000, null,
                Freshness.alwaysBehind("not refreshed since change tracking was turned on"), null);

        TargetLagPlan plan = TargetLagPlan.of(new Snapshot(List.of(never), 0), T0, OPTIONS);

        assertThat(plan.groups()).containsExactly(List.of(never.registration()));
    }

    @Test
    void stackedViewsAreRefreshedInOneJobUpstreamFirstAndTheDownstreamOnlyThere() {
        TargetedView upstream = tracked("daily", 5_000, T0.minusSeconds(60), Freshness.changedSince(T0), 0L);
        TargetedView downstream = new TargetedView(
                registration("weekly", 60_000, true, T0.minusSeconds(60), T0.minusSeconds(60), 0L),
                Freshness.changedSince(T0), 0L, List.of(QualifiedName.parse("public.daily")), false);

        TargetLagPlan plan = TargetLagPlan.of(new Snapshot(List.of(downstream, upstream), 0), T0.plusSeconds(5),
                OPTIONS);

        assertThat(plan.groups()).containsExactly(List.of(upstream.registration(), downstream.registration()));
    }

    @Test
    void aDueDownstreamViewTakesItsBehindUpstreamAlongFirst() {
        TargetedView upstream = tracked("daily", 60_000, T0.minusSeconds(60), Freshness.changedSince(T0), 0L);
        TargetedView downstream = new TargetedView(
                registration("weekly", 5_000, true, T0.minusSeconds(60), T0.minusSeconds(60), 0L),
                Freshness.changedSince(T0), 0L, List.of(QualifiedName.parse("public.daily")), false);

        TargetLagPlan plan = TargetLagPlan.of(new Snapshot(List.of(downstream, upstream), 0), T0.plusSeconds(5),
                OPTIONS);

        assertThat(plan.groups()).containsExactly(List.of(upstream.registration(), downstream.registration()));
    }

    @Test
    void aViewWhoseUpstreamIsBeingRefreshedWaitsForIt() {
        TargetedView upstream = new TargetedView(
                registration("daily", 5_000, true, T0.minusSeconds(60), T0.minusSeconds(60), 0L),
                Freshness.changedSince(T0), 0L, List.of(), true);
        TargetedView downstream = new TargetedView(
                registration("weekly", 5_000, true, T0.minusSeconds(60), T0.minusSeconds(60), 0L),
                Freshness.changedSince(T0), 0L, List.of(QualifiedName.parse("public.daily")), false);

        assertThat(TargetLagPlan.of(new Snapshot(List.of(downstream, upstream), 1), T0.plusSeconds(9), OPTIONS)
                .groups()).isEmpty();
    }

    @Test
    void theCapCountsTheJobsAlreadyQueuedOrRunningAndTheMostOverdueGoFirst() {
        TargetedView a = tracked("a", 5_000, T0.minusSeconds(60), Freshness.changedSince(T0.plusSeconds(2)), 0L);
        TargetedView b = tracked("b", 5_000, T0.minusSeconds(60), Freshness.changedSince(T0), 0L);
        TargetedView c = tracked("c", 5_000, T0.minusSeconds(60), Freshness.changedSince(T0.plusSeconds(1)), 0L);
        Snapshot snapshot = new Snapshot(List.of(a, b, c), 0);
        Instant now = T0.plusSeconds(30);

        assertThat(TargetLagPlan.of(snapshot, now, OPTIONS).groups())
                .containsExactly(List.of(b.registration()), List.of(c.registration()));
        assertThat(TargetLagPlan.of(new Snapshot(List.of(a, b, c), 1), now, OPTIONS).groups())
                .containsExactly(List.of(b.registration()));
        assertThat(TargetLagPlan.of(new Snapshot(List.of(a, b, c), 2), now, OPTIONS).groups()).isEmpty();
        assertThat(TargetLagPlan.of(snapshot, now, OPTIONS.withMaxConcurrentRefreshes(3)).groups()).hasSize(3);
    }

    @Test
    void aViewAlreadyInAJobIsLeftToIt() {
        TargetedView view = new TargetedView(
                registration("daily", 5_000, true, T0.minusSeconds(60), T0.minusSeconds(60), 0L),
                Freshness.changedSince(T0), 0L, List.of(), true);

        TargetLagPlan plan = TargetLagPlan.of(new Snapshot(List.of(view), 1), T0.plusSeconds(30), OPTIONS);

        assertThat(plan.groups()).isEmpty();
        assertThat(plan.nextDue()).isNull();
    }

    private static TargetedView tracked(String name, long targetMs, @Nullable Instant lastRefresh, Freshness freshness,
                                        @Nullable Long expectedMs) {
        return new TargetedView(registration(name, targetMs, true, lastRefresh, lastRefresh, expectedMs), freshness,
                expectedMs, List.of(), false);
    }

    private static Registration registration(String name, long targetMs, boolean tracked,
                                             @Nullable Instant lastRefresh, @Nullable Instant lastSuccess,
                                             @Nullable Long durationMs) {
        return new Registration(UUID.randomUUID(), "public", name, RefreshMode.STANDARD, RefreshTimeouts.NONE,
                tracked, lastRefresh, lastRefresh == null ? null : durationMs,
                lastRefresh == null ? null : RefreshStatus.SUCCESS, null, lastSuccess, T0.minusSeconds(3600),
                T0.minusSeconds(3600), targetMs, null);
    }
}
