package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an idle started runner sends, counted on the real database through a recording data source: one statement per
 * poll interval for the queue, every view with a target and the database's clock together.
 */
class IdlePollStatementsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration POLL = Duration.ofMillis(200);
    /** Longer than the clock's own re-reading interval, so that a reading of its own would show. */
    private static final Duration WINDOW = Duration.ofSeconds(11);

    private AybMatviews matviews;

    @BeforeEach
    void schema() {
        SampleSchema.create(PG);
        PG.execute("CREATE MATERIALIZED VIEW leaderboard_top AS SELECT id, name FROM leaderboard"
                + " WHERE total_minutes > 40");
        matviews = AybMatviews.builder().dataSource(PG.newDataSource(2, true)).build();
    }

    private void target(String view) {
        matviews.registry().register(QualifiedName.parse(view), RefreshMode.STANDARD, RefreshTimeouts.NONE, true,
                Duration.ofSeconds(5));
        matviews.refreshes().refresh(view);
    }

    @ParameterizedTest(name = "autoCommit={0}")
    @ValueSource(booleans = {true, false})
    void anIdleRunnerWithTargetedViewsSendsOneStatementPerPoll(boolean autoCommit) throws Exception {
        target("leaderboard");
        target("leaderboard_top");
        List<String> idle = idleStatements(autoCommit);
        assertThat(idle).as("one statement per poll").isNotEmpty()
                .hasSizeLessThanOrEqualTo((int) (WINDOW.toMillis() / POLL.toMillis()) + 1)
                .allSatisfy(sql -> assertThat(sql).as("the planner's read, carrying the queue's next work")
                        .contains("target_lag_ms IS NOT NULL").contains("next_job_at").contains("clock_timestamp"));
    }

    @Test
    void withoutAnyTargetedViewTheSameStatementStillAnswersTheQueue() throws Exception {
        List<String> idle = idleStatements(true);
        assertThat(idle).isNotEmpty()
                .hasSizeLessThanOrEqualTo((int) (WINDOW.toMillis() / POLL.toMillis()) + 1)
                .allSatisfy(sql -> assertThat(sql).contains("next_job_at"));
    }

    /** The statements a started runner sends over {@link #WINDOW} once it has settled. */
    private List<String> idleStatements(boolean autoCommit) throws InterruptedException {
        RecordingDataSource recording = new RecordingDataSource(PG.newDataSource(2, autoCommit));
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(recording).build()).jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withIdlePollInterval(POLL)).build();
        try (JobRunner runner = jobs.jobRunner().start()) {
            // Settled: the start's full pass and first prune are behind it.
            Await.until("the runner to poll", () -> recording.executions() > 3);
            Thread.sleep(POLL.toMillis() * 3);
            recording.clear();
            Thread.sleep(WINDOW.toMillis());
            List<String> statements = recording.statements();
            assertThat(runner.runningJobs()).isZero();
            return statements;
        }
    }
}
