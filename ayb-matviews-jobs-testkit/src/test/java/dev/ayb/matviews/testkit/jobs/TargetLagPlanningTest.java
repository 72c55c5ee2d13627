package dev.ayb.matviews.testkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.HealthProblem;
import dev.ayb.matviews.HealthReport;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.TargetLagOptions;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Target lag on real PostgreSQL, pass by pass on a clock the test moves: real writes, real change tracking and real
 * refreshes, with targets long enough (a minute) that the real time a test takes never decides anything.
 */
class TargetLagPlanningTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration TARGET = Duration.ofMinutes(1);

    /** Starts at the database's time, since the change markers carry it. */
    private SettableClock clock;
    private AybMatviews matviews;
    private ManualJobRunner first;
    private ManualJobRunner second;

    @BeforeEach
    void twoInstancesOnOneDatabase() {
        SampleSchema.create(PG);
        PG.execute("CREATE MATERIALIZED VIEW leaderboard_top AS SELECT id, name FROM leaderboard"
                + " WHERE total_minutes > 40");
        clock = new SettableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        matviews = instance(true);
        first = new ManualJobRunner(jobs(matviews), clock);
        second = new ManualJobRunner(jobs(instance(false)), clock);
    }

    private AybMatviews instance(boolean autoCommit) {
        return AybMatviews.builder().dataSource(PG.newDataSource(3, autoCommit)).clock(clock).build();
    }

    private AybJobs jobs(AybMatviews instance) {
        return AybJobs.builder(instance).targetLag(TargetLagOptions.defaults().withMaxConcurrentRefreshes(1))
                .jobOptions(JobOptions.defaults().withCoordinationClock(clock)).build();
    }

    private Registration target(String view, Duration target) {
        Registration registration = matviews.registry().register(QualifiedName.parse(view), RefreshMode.STANDARD,
                RefreshTimeouts.NONE, true, target);
        matviews.refreshes().refresh(view);
        return registration;
    }

    private void writeWorkout() {
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 60)");
    }

    private List<RefreshRun> successes(String view) {
        return matviews.registry().history(view, 100).stream()
                .filter(run -> run.status() == RefreshStatus.SUCCESS).toList();
    }

    /** Both instances pass, one after the other, at the clock's time, until their queue is idle. */
    private void bothPoll() {
        first.runUntilIdle();
        second.runUntilIdle();
    }

    @Test
    void aChangeIsPlannedForItsTargetRefreshedOnceAcrossTwoInstancesAndNothingRunsWhileNothingChanges() {
        target("leaderboard", TARGET);
        bothPoll();
        assertThat(successes("leaderboard")).hasSize(1);
        assertThat(matviews.freshness().of("leaderboard").nextRefreshAt()).isNull();

        writeWorkout();
        bothPoll();
        Freshness behind = matviews.freshness().of("leaderboard");
        assertThat(behind.state()).isEqualTo(Freshness.State.BEHIND);
        assertThat(behind.nextRefreshAt()).isNotNull();
        assertThat(Duration.between(behind.behindSince(), behind.nextRefreshAt())).isBetween(
                TARGET.minus(TARGET.dividedBy(10)).minusSeconds(5), TARGET.minus(TARGET.dividedBy(10)));
        assertThat(successes("leaderboard")).hasSize(1);

        clock.advance(TARGET.plusSeconds(5));
        bothPoll();
        assertThat(successes("leaderboard")).hasSize(2);
        assertThat(matviews.freshness().of("leaderboard").isCurrent()).isTrue();
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE type = 'materialized_view_target_lag'"))
                .isEqualTo(1);

        for (int i = 0; i < 5; i++) {
            clock.advance(TARGET);
            bothPoll();
        }
        assertThat(successes("leaderboard")).as("nothing changed, nothing refreshed").hasSize(2);
        assertThat(matviews.registry().get("leaderboard").nextRefreshAt()).isNull();
    }

    @Test
    void aBurstOfWritesCostsOneRefresh() {
        target("leaderboard", TARGET);
        for (int i = 0; i < 10; i++) {
            writeWorkout();
            clock.advance(Duration.ofSeconds(1));
            bothPoll();
        }
        clock.advance(TARGET);
        bothPoll();

        assertThat(successes("leaderboard")).hasSize(2);
        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard WHERE id = 2 AND workout_count = 11")).isOne();
    }

    @Test
    void stackedViewsAreRefreshedUpstreamFirstAndTheDownstreamOncePerChange() {
        target("leaderboard", TARGET);
        target("leaderboard_top", TARGET.multipliedBy(3));
        writeWorkout();
        bothPoll();

        clock.advance(TARGET.plusSeconds(5));
        bothPoll();
        clock.advance(TARGET.multipliedBy(4));
        bothPoll();

        List<RefreshRun> upstream = successes("leaderboard");
        List<RefreshRun> downstream = successes("leaderboard_top");
        assertThat(upstream).hasSize(2);
        assertThat(downstream).as("refreshed once for the one change").hasSize(2);
        assertThat(downstream.get(0).startedAt()).isAfterOrEqualTo(upstream.get(0).finishedAt());
        assertThat(downstream.get(0).id()).isGreaterThan(upstream.get(0).id());
        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard_top WHERE id = 2")).isOne();
        assertThat(matviews.freshness().of("leaderboard_top").isCurrent()).isTrue();
    }

    @Test
    void withACapOfOneEachPassEnqueuesOneRefreshAndTheOtherDueViewWaitsForTheNext() {
        PG.execute("CREATE MATERIALIZED VIEW workout_total AS SELECT sum(duration_minutes) AS total FROM workouts");
        target("leaderboard", TARGET);
        target("workout_total", TARGET);
        writeWorkout();
        clock.advance(TARGET.plusSeconds(5));

        first.pollOnce();
        second.pollOnce();
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE type = 'materialized_view_target_lag'"))
                .as("one job per pass with a cap of 1, the other view waits for the next").isEqualTo(2);
        bothPoll();
        assertThat(successes("leaderboard")).hasSize(2);
        assertThat(successes("workout_total")).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFailingRefreshIsBehindWithTheReasonAndTheHealthRouteReportsIt(boolean autoCommit) {
        PG.execute("CREATE TABLE divisors (d int NOT NULL)", "INSERT INTO divisors VALUES (1)",
                "CREATE MATERIALIZED VIEW inverses AS SELECT 100 / d AS inverse FROM divisors");
        AybMatviews writer = instance(autoCommit);
        writer.registry().register(QualifiedName.parse("inverses"), RefreshMode.STANDARD, RefreshTimeouts.NONE, true,
                TARGET);
        writer.refreshes().refresh("inverses");
        PG.execute("INSERT INTO divisors VALUES (0)");

        clock.advance(TARGET.plusSeconds(5));
        bothPoll();

        Registration failing = matviews.registry().get("inverses");
        assertThat(failing.lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        Freshness freshness = matviews.freshness().of("inverses");
        assertThat(freshness.state()).isEqualTo(Freshness.State.BEHIND);
        assertThat(freshness.reason()).startsWith("last refresh failed: ").contains("division by zero");
        assertThat(freshness.lagMs()).isGreaterThan(TARGET.toMillis());
        HealthReport health = matviews.health().check();
        assertThat(health.healthy()).isFalse();
        assertThat(health.unhealthy().get(0).problems())
                .containsExactlyInAnyOrder(HealthProblem.FAILING, HealthProblem.TARGET_MISSED);
    }

    @Test
    void aTargetCanBeChangedAndRemoved() {
        target("leaderboard", TARGET);
        assertThat(matviews.registry().updateTargetLag("leaderboard", Duration.ofSeconds(5)).targetLagMs())
                .isEqualTo(5_000L);
        writeWorkout();
        assertThat(matviews.registry().updateTargetLag("leaderboard", null).targetLagMs()).isNull();

        clock.advance(TARGET.multipliedBy(5));
        bothPoll();

        assertThat(successes("leaderboard")).as("no target, no planned refresh").hasSize(1);
    }
}
