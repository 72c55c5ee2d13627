package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.HealthProblem;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Target lag end to end: two started job runners on one database (one pool in autocommit, one not), real writes, real
 * refreshes, real time.
 */
class TargetLagRunnersTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration TARGET = Duration.ofSeconds(3);

    private AybMatviews matviews;
    private JobRunner first;
    private JobRunner second;

    @BeforeEach
    void twoRunners() {
        SampleSchema.create(PG);
        PG.execute("CREATE MATERIALIZED VIEW leaderboard_top AS SELECT id, name FROM leaderboard"
                + " WHERE total_minutes > 40");
        matviews = AybMatviews.builder().dataSource(PG.newDataSource(4, true)).build();
        first = runner(true);
        second = runner(false);
    }

    private JobRunner runner(boolean autoCommit) {
        return AybJobs.builder(AybMatviews.builder().dataSource(PG.newDataSource(4, autoCommit)).build())
                .jobsEnabled(true).jobOptions(JobOptions.defaults().withIdlePollInterval(Duration.ofMillis(100)))
                .build().jobRunner();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
    }

    private void target(String view, Duration target) {
        matviews.registry().register(QualifiedName.parse(view), RefreshMode.STANDARD, RefreshTimeouts.NONE, true,
                target);
        matviews.refreshes().refresh(view);
    }

    private List<RefreshRun> successes(String view) {
        return matviews.registry().history(view, 100).stream()
                .filter(run -> run.status() == RefreshStatus.SUCCESS).toList();
    }

    @Test
    void aWriteShowsWithinTheTargetOnceAcrossBothRunnersAndNothingRefreshesWhileNothingChanges() throws Exception {
        target("leaderboard", TARGET);
        target("leaderboard_top", TARGET.multipliedBy(2));
        first.start();
        second.start();
        Thread.sleep(500);
        assertThat(successes("leaderboard")).as("current: nothing to do").hasSize(1);
        // A first change warms the runners up (class loading of the job path), as in any running application.
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 5)");
        Await.until("the first write to reach the downstream view", () ->
                matviews.freshness().of("leaderboard_top").isCurrent() && successes("leaderboard_top").size() == 2);

        long writtenAt = System.nanoTime();
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 60)");
        Await.until("the write to reach the view", () ->
                PG.queryLong("SELECT count(*) FROM leaderboard WHERE id = 2 AND workout_count = 2") == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - writtenAt)).isLessThan(TARGET);
        Await.until("the write to reach the downstream view", () ->
                PG.queryLong("SELECT count(*) FROM leaderboard_top WHERE id = 2") == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - writtenAt)).isLessThan(TARGET.multipliedBy(2));

        Thread.sleep(TARGET.multipliedBy(2).toMillis());
        List<RefreshRun> upstream = successes("leaderboard");
        List<RefreshRun> downstream = successes("leaderboard_top");
        assertThat(upstream).as("one refresh for each change, across both runners").hasSize(3);
        assertThat(downstream).hasSize(3);
        assertThat(downstream.get(0).startedAt()).isAfterOrEqualTo(upstream.get(0).finishedAt());
        assertThat(matviews.freshness().of("leaderboard_top").isCurrent()).isTrue();
    }

    @Test
    void aRefreshThatKeepsFailingIsReportedByTheHealthCheck() throws Exception {
        PG.execute("CREATE TABLE divisors (d int NOT NULL)", "INSERT INTO divisors VALUES (1)",
                "CREATE MATERIALIZED VIEW inverses AS SELECT 100 / d AS inverse FROM divisors");
        target("inverses", Duration.ofSeconds(1));
        first.start();
        second.start();
        PG.execute("INSERT INTO divisors VALUES (0)");

        Await.until("the failing refresh and the missed target to be reported", () -> matviews.health().check()
                .unhealthy().stream().anyMatch(view -> view.problems().containsAll(
                        List.of(HealthProblem.FAILING, HealthProblem.TARGET_MISSED))));
        assertThat(matviews.freshness().of("inverses").reason()).contains("division by zero");
    }
}
