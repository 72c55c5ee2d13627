package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.BlockedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What close() and a refusing executor leave behind: no job stranded, none handed back while it still runs. */
@Tag("reliability")
@ExtendWith(Figures.class)
class JobRunnerShutdownTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String REFRESHES_ON_THE_SERVER = "SELECT count(*) FROM pg_stat_activity"
            + " WHERE state = 'active' AND query LIKE 'REFRESH MATERIALIZED VIEW%'";

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    @Test
    void closeCancelsARefreshStillRunningOnTheServerBeforeHandingItsJobBack() throws Exception {
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(PG.dataSource()).build()).jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withWorkerId("closing").withShutdownGrace(Duration.ofMillis(200)))
                .build();
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@yearly")
                .withPayload(Map.of("view_name", "leaderboard")));
        JobRunner runner = jobs.jobRunner();
        AtomicReference<Job> job = new AtomicReference<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();

        // The job's REFRESH waits on the server for a table lock held elsewhere, beyond the shutdown grace.
        try (BlockedRefresh<Void> blocked = BlockedRefresh.startAsync(PG, "workouts", () -> {
            runner.start();
            job.set(jobs.schedules().runNow("s"));
            return closed;
        })) {
            runner.close();
            closed.complete(null);
            Figures.faults(1);
            Figures.operations(1);

            assertThat(PG.queryLong(REFRESHES_ON_THE_SERVER)).as("the REFRESH is no longer running").isZero();
            Job handedBack = jobs.schedules().job(job.get().id());
            assertThat(handedBack.state()).isEqualTo(JobState.QUEUED);
            assertThat(handedBack.attempts()).isZero();
            assertThat(handedBack.workerId()).isNull();
            assertThat(handedBack.leaseUntil()).isNull();
            assertThat(handedBack.lastError()).startsWith("stopped by the shutdown of worker closing: ")
                    .contains("canceling statement due to user request");
            assertThat(jobs.matviews().registry().history(ViewRef.parse("leaderboard"), 1).get(0).status())
                    .as("the canceled refresh is recorded").isEqualTo(RefreshStatus.ERROR);
            assertThat(PG.libraryLocksHeld()).isZero();
            blocked.release();
        }
    }

    @Test
    void aJobTheExecutorRefusesIsHandedBackAndFreesItsSlot() {
        ExecutorService refusing = Executors.newSingleThreadExecutor();
        refusing.shutdown();
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(PG.dataSource()).build()).jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withWorkerId("refused").withExecutor(refusing)).build();
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@yearly")
                .withPayload(Map.of("view_name", "leaderboard")));
        Job job = jobs.schedules().runNow("s");
        JobRunner runner = jobs.jobRunner();

        runner.pollOnce();
        Figures.faults(1);
        Figures.operations(1);

        Job after = jobs.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.attempts()).isZero();
        assertThat(after.workerId()).isNull();
        assertThat(after.leaseUntil()).isNull();
        assertThat(runner.runningJobs()).isZero();
        runner.close();
    }

    @Test
    void aPollerStillInTheDatabaseWhenCloseReturnsClaimsNothingAfterwards() throws Exception {
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(PG.dataSource()).build()).jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withWorkerId("late").withShutdownGrace(Duration.ofMillis(200)))
                .build();
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@yearly")
                .withPayload(Map.of("view_name", "leaderboard")));
        Job job = jobs.schedules().runNow("s");
        JobRunner runner = jobs.jobRunner();
        List<Thread> started = new java.util.ArrayList<>();
        try (Connection blocker = PG.connection(); Statement statement = blocker.createStatement()) {
            blocker.setAutoCommit(false);
            // Reads go on; the poller's first write to the jobs table waits until this transaction ends.
            statement.execute("LOCK TABLE ayb.jobs IN SHARE ROW EXCLUSIVE MODE");
            List<Thread> before = jobThreads();
            runner.start();
            jobThreads().stream().filter(thread -> !before.contains(thread)).forEach(started::add);
            Await.until("the poller to wait on the jobs table", () -> PG.queryLong("SELECT count(*) FROM pg_locks"
                    + " WHERE NOT granted AND relation = 'ayb.jobs'::regclass") > 0);

            runner.close();
            Figures.faults(1);
            Figures.operations(1);

            assertThat(started).as("the poller is still in the database").extracting(Thread::getName)
                    .contains("ayb-jobs-poller");
            blocker.commit();
        }
        Await.until("the poller to end", () -> started.stream().noneMatch(Thread::isAlive));

        Job after = jobs.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.attempts()).isZero();
        assertThat(after.workerId()).isNull();
        assertThat(after.leaseUntil()).isNull();
    }

    private static List<Thread> jobThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(thread -> thread.getName().startsWith("ayb-jobs")).toList();
    }
}
