package dev.ayb.matviews.jobs.reliability;

import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL stopped (fast shutdown: every session cut off, as in an outage or a failover) and started again
 * while scheduled jobs run, on a server of this class's own, so the other test classes' server is never touched.
 * The scheduler must come back by itself, without an application restart: no job is left behind, and no job is
 * lost or run twice. (Refreshes across a restart: PostgresRestartTest, in ayb-matviews-jdbc.)
 */
@Tag("reliability")
@ExtendWith(Figures.class)
// Restarts, and calls that may each wait a minute or more (CALL_TIMEOUT, 90 s for the jobs of a restart).
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresRestartJobsTest {
    private static EmbeddedPostgres server;

    @RegisterExtension
    static final PoolHygiene HYGIENE = PoolHygiene.on(() -> server);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for the pool to ride out a restart, short enough that a call during an outage fails soon. */
    private static final Duration SHORT_BORROW = Duration.ofSeconds(2);
    private static final Duration OUTAGE = Duration.ofMillis(1500);

    @BeforeAll
    static void startOwnServer() {
        server = EmbeddedPostgres.startTemporary();
    }

    @AfterAll
    static void closeOwnServer() {
        server.close();
    }

    @BeforeEach
    void seed() {
        SampleSchema.create(PostgresRestartJobsTest::execute);
    }

    /**
     * "No job lost or run twice", made precise: every job ends {@code completed}, once; its handler started
     * exactly once and returned exactly once; no two runs of a job overlapped. The lease (10 s) outlives the
     * outage, so nothing entitles the queue to run a job again: a job that finished while the server was down
     * must have its completion recorded when it is back, not be re-run after its lease.
     */
    @Test
    void jobsRunningAcrossARestartCompleteOnceAndRunOnce() throws Exception {
        WorkLog log = new WorkLog();
        AybJobs jobs = jobsInstance(log.working("runner", Duration.ofMillis(400)), Duration.ofSeconds(10));
        jobs.schedules().create(ScheduleSpec.of("work", WorkLog.JOB_TYPE, "@yearly"));
        List<Job> queued = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            queued.add(jobs.schedules().runNow("work"));
        }

        try (JobRunner runner = jobs.jobRunner().start()) {
            Await.until("jobs running", () -> log.totalStarted() >= 4, CALL_TIMEOUT);
            restartWithOutage();
            awaitAllCompleted(queued.size());
            assertThat(runner.isRunning()).isTrue();
        }
        assertRanOnceAndCompletedOnce(jobs, log, queued);
    }

    /**
     * A job that runs longer than the outage and the outage longer than its lease (2 s): the worker is alive
     * throughout, so once the server is back it keeps the job (renews the lease) instead of recovering its own
     * job as if its worker had died and starting it a second time beside the first.
     */
    @Test
    void aLongJobWhoseLeaseRanOutDuringTheOutageIsNotStartedASecondTimeByItsOwnWorker() throws Exception {
        WorkLog log = new WorkLog();
        AybJobs jobs = jobsInstance(log.working("runner", Duration.ofSeconds(6)), Duration.ofSeconds(2));
        jobs.schedules().create(ScheduleSpec.of("work", WorkLog.JOB_TYPE, "@yearly"));
        List<Job> queued = List.of(jobs.schedules().runNow("work"));

        try (JobRunner runner = jobs.jobRunner().start()) {
            Await.until("the job running", () -> log.totalStarted() == 1, CALL_TIMEOUT);
            server.stop();
            Figures.faults(1);
            sleep(Duration.ofMillis(3500));
            server.start();
            awaitAllCompleted(queued.size());
            assertThat(runner.isRunning()).isTrue();
        }
        assertRanOnceAndCompletedOnce(jobs, log, queued);
    }

    @Test
    void aScheduleTickingEverySecondAcrossARestartEnqueuesEachTickOnceAndCompletesEveryJob() throws Exception {
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(HYGIENE.pool("ticks", 4, SHORT_BORROW)).build())
                .jobsEnabled(true).jobOptions(options(Duration.ofSeconds(10))).build();
        jobs.schedules().create(ScheduleSpec.of("leaderboard_every_second", "materialized_view_refresh",
                "* * * * * *").withPayload(Map.of("view_name", "leaderboard")));

        try (JobRunner runner = jobs.jobRunner().start()) {
            Await.until("a few ticks", () -> count("state = 'completed'") >= 2, CALL_TIMEOUT);
            restartWithOutage();
            long before = count("true");
            Await.until("ticks after the restart", () -> count("true") >= before + 2, CALL_TIMEOUT);
            jobs.schedules().disable("leaderboard_every_second");
            // A refresh cut off by the stop failed and is retried after its backoff (5 s): wait for it too.
            Await.until("every job finished", () -> count("state IN ('queued', 'running')") == 0, CALL_TIMEOUT);
            assertThat(runner.isRunning()).isTrue();
        }
        long enqueued = count("true");
        Figures.operations(enqueued);
        Figures.lost(count("state <> 'completed'"));
        assertThat(count("state <> 'completed'")).isZero();
        assertThat(longValue("SELECT count(DISTINCT scheduled_for) FROM ayb.jobs")).isEqualTo(enqueued);
        assertThat(count("result NOT LIKE 'refreshed%' AND result NOT LIKE 'skipped%'")).isZero();
        assertThat(jobs.matviews().registry().get("leaderboard").lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
    }

    private AybJobs jobsInstance(JobHandler handler, Duration lease) {
        return AybJobs.builder(AybMatviews.builder().dataSource(HYGIENE.pool("jobs", 5, SHORT_BORROW)).build())
                .jobsEnabled(true)
                .jobHandler(handler).jobOptions(options(lease)).build();
    }

    private static JobOptions options(Duration lease) {
        return JobOptions.defaults().withWorkerId("runner").withConcurrency(3).withLeaseDuration(lease)
                .withIdlePollInterval(Duration.ofMillis(200)).withShutdownGrace(Duration.ofSeconds(10));
    }

    private static void restartWithOutage() {
        server.stop();
        Figures.faults(1);
        sleep(OUTAGE);
        server.start();
    }

    private static void awaitAllCompleted(int jobs) {
        Await.until(jobs + " jobs completed", () -> count("state = 'completed'") == jobs, Duration.ofSeconds(90));
    }

    private static void assertRanOnceAndCompletedOnce(AybJobs instance, WorkLog log, List<Job> queued) {
        Figures.operations(queued.size());
        long lost = 0;
        List<String> problems = new ArrayList<>();
        for (Job job : queued) {
            Job after = instance.schedules().job(job.id());
            if (after.state() != JobState.COMPLETED) {
                lost++;
            }
            if (after.state() != JobState.COMPLETED || log.started(job.id()) != 1 || log.returned(job.id()) != 1) {
                problems.add(job.id() + ": " + after.state() + ", attempts " + after.attempts() + ", handler started "
                        + log.started(job.id()) + " time(s), returned " + log.returned(job.id()));
            }
        }
        Figures.lost(lost);
        assertThat(log.overlaps()).isEmpty();
        assertThat(problems).as("runs: %s", log.runs()).isEmpty();
    }

    private static long count(String condition) {
        return longValue("SELECT count(*) FROM ayb.jobs WHERE " + condition);
    }

    private static long longValue(String sql) {
        try (Connection connection = HYGIENE.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void execute(String... sql) {
        try (Connection connection = HYGIENE.connect(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
