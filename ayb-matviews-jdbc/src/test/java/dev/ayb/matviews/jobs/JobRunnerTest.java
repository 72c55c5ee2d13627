package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.SeedSchema;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runners on real threads and the real clock; kept short. */
class JobRunnerTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @BeforeEach
    void createSchema() {
        SeedSchema.create(PG);
    }

    @Test
    void threeInstancesRefreshOncePerTickOfTheSeedsSchedule() throws Exception {
        List<AybMatviews> instances = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            instances.add(AybMatviews.builder().dataSource(PG.newDataSource(3)).jobsEnabled(true)
                    .jobOptions(JobOptions.defaults().withWorkerId("instance-" + i)
                            .withIdlePollInterval(Duration.ofMillis(500)))
                    .build());
        }
        // The seed's curl body, with a one-second cron so that twenty ticks take twenty seconds.
        instances.get(0).schedules().create(ScheduleSpec.of("leaderboard_hourly", "materialized_view_refresh",
                "* * * * * *").withTimezone("UTC").withPayload(Map.of("schema", "public", "view_name", "leaderboard"))
                .withEnabled(true));
        instances.forEach(instance -> instance.jobRunner().start());

        Await.until("21 ticks", () -> PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE state = 'completed'") >= 21,
                Duration.ofSeconds(40));
        instances.get(0).schedules().disable("leaderboard_hourly");
        instances.forEach(instance -> instance.jobRunner().close());

        long jobs = PG.queryLong("SELECT count(*) FROM ayb.jobs");
        assertThat(PG.queryLong("SELECT count(DISTINCT scheduled_for) FROM ayb.jobs")).isEqualTo(jobs);
        // Consecutive ticks, one second apart: none missed, none doubled.
        assertThat(PG.queryLong("SELECT extract(epoch FROM max(scheduled_for) - min(scheduled_for))::bigint + 1"
                + " FROM ayb.jobs")).isEqualTo(jobs);
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE state <> 'completed'"
                + " OR result NOT LIKE 'refreshed%'")).isZero();
        List<RefreshRun> runs = instances.get(1).registry().history(ViewRef.parse("leaderboard"), 1000);
        assertThat(runs).hasSize((int) jobs).allSatisfy(run -> assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS));
        // Every instance did some of the work.
        assertThat(PG.queryLong("SELECT count(DISTINCT worker_id) FROM ayb.jobs")).isGreaterThan(1);
    }

    @Test
    void withJobsOffNoThreadStartsAndTheRunnerIsUnavailable() {
        AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();

        assertThat(matviews.jobsEnabled()).isFalse();
        assertThatThrownBy(matviews::jobRunner).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.JOB_QUEUE_DISABLED);
            assertThat(e.getMessage()).isEqualTo("job queue is not enabled");
            assertThat(e.httpStatus()).isEqualTo(503);
        });
        assertThat(jobThreads()).isEmpty();
        // Manual refresh works regardless.
        matviews.registry().register(dev.ayb.matviews.QualifiedName.parse("leaderboard"));
        assertThat(matviews.refreshes().refresh("leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void closeLetsRunningJobsFinishWithinTheGraceAndReleasesTheRest() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        JobHandler stuck = new JobHandler() {
            @Override
            public String jobType() {
                return "stuck";
            }

            @Override
            public JobResult handle(Job job) throws InterruptedException {
                started.countDown();
                never.await();
                return JobResult.done();
            }
        };
        ExecutorService hostExecutor = Executors.newFixedThreadPool(2);
        try {
            AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource()).jobsEnabled(true).jobHandler(stuck)
                    .jobOptions(JobOptions.defaults().withWorkerId("closing").withExecutor(hostExecutor)
                            .withShutdownGrace(Duration.ofMillis(200)))
                    .build();
            matviews.schedules().create(ScheduleSpec.of("s", "stuck", "@yearly"));
            Job job = matviews.schedules().runNow("s");
            JobRunner runner = matviews.jobRunner().start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            runner.close();

            Job released = matviews.schedules().job(job.id());
            assertThat(released.state()).isEqualTo(JobState.QUEUED);
            assertThat(released.attempts()).isZero();
            assertThat(released.workerId()).isNull();
            assertThat(released.leaseUntil()).isNull();
            assertThat(hostExecutor.isShutdown()).isFalse();
            assertThat(jobThreads()).isEmpty();
            runner.close();
        } finally {
            hostExecutor.shutdownNow();
        }
    }

    /**
     * The runner is idle first (it has asked when the next work is due, and nothing is before the minute's
     * idle poll), so the job can only complete within a fraction of that minute if {@code runNow} woke it.
     */
    @Test
    void runNowThroughTheAdminWakesTheRunnerAtOnce() throws Exception {
        Duration idlePoll = Duration.ofMinutes(1);
        RecordingDataSource recorder = new RecordingDataSource(PG.dataSource());
        AybMatviews matviews = AybMatviews.builder().dataSource(recorder).jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withIdlePollInterval(idlePoll)).build();
        matviews.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@yearly")
                .withPayload(Map.of("view_name", "leaderboard")));
        recorder.clear();
        try (JobRunner runner = matviews.jobRunner().start()) {
            Await.until("the runner to ask when the next work is due",
                    () -> recorder.firstContaining("min(next_run_at)") != null);
            Job job = matviews.schedules().runNow("s");

            Await.until("the job to complete", () -> matviews.schedules().job(job.id()).state() == JobState.COMPLETED,
                    idlePoll.dividedBy(6));
            assertThat(runner.isRunning()).isTrue();
        }
    }

    private static List<String> jobThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("ayb-jobs")).toList();
    }
}
