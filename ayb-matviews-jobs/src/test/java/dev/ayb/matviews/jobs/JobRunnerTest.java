package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PgBouncerExtension;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Runners on real threads and the real clock; kept short. */
@ParameterizedClass(name = "{0}")
@EnumSource(JobRunnerTest.Route.class)
class JobRunnerTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    /** Started only by the PgBouncer route; stopped after each test. */
    @RegisterExtension
    @Order(2)
    static final PgBouncerExtension BOUNCER = PgBouncerExtension.transactionPooling(PG, 4);

    /** How the instances reach the database. */
    enum Route {
        AUTOCOMMIT_POOL,
        /** A pool that does not commit by itself: the Spring/JPA default. */
        MANUAL_COMMIT_POOL,
        /** Through PgBouncer in transaction pooling, with the lock mode that holds there. */
        PGBOUNCER_TRANSACTION_POOLING;

        DataSource pool(String name, int size) {
            return switch (this) {
                case AUTOCOMMIT_POOL -> PG.newDataSource(size, true);
                case MANUAL_COMMIT_POOL -> PG.newDataSource(size, false);
                case PGBOUNCER_TRANSACTION_POOLING -> BOUNCER.dataSource(name, size);
            };
        }

        AdvisoryLockMode lockMode() {
            return this == PGBOUNCER_TRANSACTION_POOLING ? AdvisoryLockMode.TRANSACTION : AdvisoryLockMode.SESSION;
        }
    }

    @Parameter
    Route route;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    /** End to end on the wall clock, kept short: the rules themselves are tested tick by tick in JobQueueTest. */
    @Test
    void threeInstancesRefreshTheSeedsScheduleOncePerJob() throws Exception {
        List<AybJobs> instances = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            instances.add(AybJobs.builder(matviews(route.pool("instance-" + i, 3)))
                    .jobsEnabled(true)
                    .jobOptions(JobOptions.defaults().withWorkerId("instance-" + i)
                            .withIdlePollInterval(Duration.ofMillis(500)))
                    .build());
        }
        // The seed's curl body, with a one-second cron so that three ticks take three seconds.
        instances.get(0).schedules().create(ScheduleSpec.of("leaderboard_hourly", "materialized_view_refresh",
                "* * * * * *").withTimezone("UTC").withPayload(Map.of("schema", "public", "view_name", "leaderboard"))
                .withEnabled(true));
        instances.forEach(instance -> instance.jobRunner().start());

        Await.until("3 ticks", () -> PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE state = 'completed'") >= 3,
                Duration.ofSeconds(30));
        instances.get(0).schedules().disable("leaderboard_hourly");
        instances.forEach(instance -> instance.jobRunner().close());

        long jobs = PG.queryLong("SELECT count(*) FROM ayb.jobs");
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE state <> 'completed'"
                + " OR result NOT LIKE 'refreshed%' OR attempts <> 1")).isZero();
        // One refresh per job: a job run twice would have left two runs.
        List<RefreshRun> runs = instances.get(1).matviews().registry().history(ViewRef.parse("leaderboard"), 1000);
        assertThat(runs).hasSize((int) jobs).allSatisfy(run -> assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS));
        // Checked here: behind the proxy, stopping it after the test would end a leaked lock unseen.
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    @Test
    void aHealthyJobRunningPastItsLeaseKeepsItWhileAnotherInstancePolls() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        JobHandler slow = JobHandler.of("slow", job -> {
            runs.incrementAndGet();
            release.await();
            return JobResult.done("done by " + job.workerId());
        });
        AybJobs first = leased("first", slow);
        AybJobs other = leased("other", slow);
        first.schedules().create(ScheduleSpec.of("slow", "slow", "@yearly"));
        Job job = first.schedules().runNow("slow");

        try (JobRunner firstRunner = first.jobRunner().start()) {
            Await.until("the job to start", () -> runs.get() == 1);
            try (JobRunner otherRunner = other.jobRunner().start()) {
                // Three leases' worth of database time, the other instance polling and recovering all along.
                Await.until("the job to outlive three leases", () -> PG.queryLong("SELECT count(*) FROM ayb.jobs"
                        + " WHERE clock_timestamp() > last_run_at + interval '3 seconds'") == 1, Duration.ofSeconds(20));
                Job during = other.schedules().job(job.id());
                assertThat(during.state()).isEqualTo(JobState.RUNNING);
                assertThat(during.workerId()).isEqualTo("first");
                assertThat(during.attempts()).isEqualTo(1);
                release.countDown();
                Await.until("the job to complete", () -> other.schedules().job(job.id()).state() == JobState.COMPLETED);
                assertThat(otherRunner.isRunning()).isTrue();
            }
            assertThat(firstRunner.isRunning()).isTrue();
        }
        Job after = first.schedules().job(job.id());
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(after.result()).isEqualTo("done by first");
        assertThat(runs.get()).as("not run twice").isEqualTo(1);
    }

    @Test
    void aSecondHandlerForAJobTypeIsRefusedAtBuild() {
        JobHandler mine = handler("mine");
        AybMatviews matviews = matviews(route.pool("app", 3));
        AybJobs.Builder twice = AybJobs.builder(matviews).jobHandler(mine).jobHandler(handler("mine"));
        AybJobs.Builder builtIn = AybJobs.builder(matviews).jobHandler(handler("materialized_view_refresh"));

        assertThatThrownBy(twice::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job type mine already has a handler; each job type takes one");
        assertThatThrownBy(builtIn::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job type materialized_view_refresh already has a handler (built in); each job type takes one");
    }

    @Test
    void withJobsOffNoThreadStartsAndTheRunnerIsUnavailable() {
        AybMatviews matviews = matviews(route.pool("app", 3));
        AybJobs jobs = AybJobs.builder(matviews).build();

        assertThat(jobs.jobsEnabled()).isFalse();
        assertThatThrownBy(jobs::jobRunner).isInstanceOfSatisfying(MatviewException.class, e -> {
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
        JobHandler stuck = JobHandler.of("stuck", job -> {
            started.countDown();
            never.await();
            return JobResult.done();
        });
        ExecutorService hostExecutor = Executors.newFixedThreadPool(2);
        try {
            AybJobs jobs = AybJobs.builder(matviews(route.pool("closing", 3)))
                    .jobsEnabled(true).jobHandler(stuck)
                    .jobOptions(JobOptions.defaults().withWorkerId("closing").withExecutor(hostExecutor)
                            .withShutdownGrace(Duration.ofMillis(200)))
                    .build();
            jobs.schedules().create(ScheduleSpec.of("s", "stuck", "@yearly"));
            Job job = jobs.schedules().runNow("s");
            JobRunner runner = jobs.jobRunner().start();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            runner.close();

            Job released = jobs.schedules().job(job.id());
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
        RecordingDataSource recorder = new RecordingDataSource(route.pool("recorded", 3));
        AybJobs jobs = AybJobs.builder(matviews(recorder)).jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withIdlePollInterval(idlePoll)).build();
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@yearly")
                .withPayload(Map.of("view_name", "leaderboard")));
        recorder.clear();
        try (JobRunner runner = jobs.jobRunner().start()) {
            Await.until("the runner to ask when the next work is due",
                    () -> recorder.firstContaining("min(next_run_at)") != null);
            Job job = jobs.schedules().runNow("s");

            Await.until("the job to complete", () -> jobs.schedules().job(job.id()).state() == JobState.COMPLETED,
                    idlePoll.dividedBy(6));
            assertThat(runner.isRunning()).isTrue();
        }
    }

    private AybJobs leased(String workerId, JobHandler handler) {
        return AybJobs.builder(matviews(route.pool(workerId, 3)))
                .jobsEnabled(true).jobHandler(handler)
                .jobOptions(JobOptions.defaults().withWorkerId(workerId).withLeaseDuration(Duration.ofSeconds(1))
                        .withIdlePollInterval(Duration.ofMillis(100)))
                .build();
    }

    private AybMatviews matviews(DataSource dataSource) {
        return AybMatviews.builder().dataSource(dataSource).lockMode(route.lockMode()).build();
    }

    private static JobHandler handler(String type) {
        return JobHandler.of(type, job -> {
            return JobResult.done();
        });
    }

    private static List<String> jobThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("ayb-jobs")).toList();
    }
}
