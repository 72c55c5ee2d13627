package dev.ayb.matviews.jobs.reliability;

import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workers that stop in the middle of a job without saying so — a process killed, a machine gone, an instance
 * cut off from the database — with real threads and the real clock, and a lease of two seconds. The job is run
 * again exactly once, by another instance, once the lease expires; a worker that comes back late cannot
 * overwrite the outcome; and a worker that comes back and claims its own job again does not run it twice.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
// Each step may wait up to a minute (WAIT) on a loaded machine; the suite default would cut that short.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AbandonedWorkerTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final WorkLog log = new WorkLog();

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void aJobWhoseWorkerDiedIsRunAgainOnceByAnotherInstanceAfterItsLease() {
        AybJobs survivor = instance("survivor", HYGIENE.pool("survivor", 3),
                log.working("survivor", Duration.ZERO));
        survivor.schedules().create(ScheduleSpec.of("work", WorkLog.JOB_TYPE, "@yearly"));
        Job job = survivor.schedules().runNow("work");
        // A worker claims it the way the library does, then dies: no renewal, no outcome, ever.
        PG.execute("UPDATE ayb.jobs SET state = 'running', attempts = attempts + 1, worker_id = 'dead',"
                + " lease_until = clock_timestamp() + interval '2 seconds', last_run_at = clock_timestamp()");
        Figures.faults(1);

        try (JobRunner runner = survivor.jobRunner().start()) {
            awaitState(survivor, job, JobState.COMPLETED);
            assertThat(runner.isRunning()).isTrue();
        }
        Job after = survivor.schedules().job(job.id());
        Figures.operations(1);
        assertThat(after.attempts()).isEqualTo(2);
        assertThat(after.workerId()).isEqualTo("survivor");
        assertThat(after.result()).isEqualTo("done by survivor");
        assertThat(log.started(job.id())).isEqualTo(1);
    }

    @Test
    void aWorkerCutOffMidJobHasItsJobRunOnceElsewhereAndItsLateOutcomeRefused() throws Exception {
        CuttableDataSource network = new CuttableDataSource(HYGIENE.pool("cut-off", 3));
        CountDownLatch releaseCutOff = new CountDownLatch(1);
        AybJobs cutOff = instance("cut-off", network, log.blockedUntil("cut-off", releaseCutOff));
        AybJobs survivor = instance("survivor", HYGIENE.pool("survivor", 3),
                log.working("survivor", Duration.ZERO));
        cutOff.schedules().create(ScheduleSpec.of("work", WorkLog.JOB_TYPE, "@yearly"));
        Job job = cutOff.schedules().runNow("work");

        try (JobRunner cutOffRunner = cutOff.jobRunner().start()) {
            Await.until("the job running on the instance about to be cut off", () -> log.started(job.id()) == 1, WAIT);
            network.cut();
            Figures.faults(1);
            try (JobRunner survivorRunner = survivor.jobRunner().start()) {
                awaitState(survivor, job, JobState.COMPLETED);
                assertThat(survivorRunner.isRunning()).isTrue();
            }
            Job completed = survivor.schedules().job(job.id());

            // The cut-off instance comes back and finishes its run: the queue must not take its word for it.
            network.restore();
            releaseCutOff.countDown();
            Await.until("the late run to end", () -> log.returned(job.id()) == 2 && cutOffRunner.runningJobs() == 0, WAIT);

            Job after = survivor.schedules().job(job.id());
            Figures.operations(1);
            assertThat(after).isEqualTo(completed);
            assertThat(after.workerId()).isEqualTo("survivor");
            assertThat(after.attempts()).isEqualTo(2);
            assertThat(after.result()).isEqualTo("done by survivor");
            assertThat(log.started(job.id())).as("one run per instance: the lost one, then one re-run").isEqualTo(2);
            assertThat(cutOffRunner.isRunning()).isTrue();
        }
        assertThat(log.overlaps()).isEmpty();
    }

    @Test
    void aWorkerThatClaimsBackAJobItIsStillRunningDoesNotStartItASecondTime() throws Exception {
        CuttableDataSource network = new CuttableDataSource(HYGIENE.pool("returning", 3));
        CountDownLatch release = new CountDownLatch(1);
        AybJobs returning = instance("returning", network, log.blockedUntil("returning", release));
        returning.schedules().create(ScheduleSpec.of("work", WorkLog.JOB_TYPE, "@yearly"));
        Job job = returning.schedules().runNow("work");

        try (JobRunner runner = returning.jobRunner().start()) {
            Await.until("the job running", () -> log.started(job.id()) == 1, WAIT);
            network.cut();
            Figures.faults(1);
            // Another instance's recovery pass, once the lease has run out: the job is queued again.
            Await.until("the lease to run out", () -> PG.queryLong("SELECT count(*) FROM ayb.jobs"
                    + " WHERE lease_until < clock_timestamp()") == 1, WAIT);
            PG.execute("UPDATE ayb.jobs SET state = 'queued', worker_id = NULL, lease_until = NULL,"
                    + " run_at = clock_timestamp()");
            network.restore();

            // The instance that is still running it claims it back...
            Await.until("the job claimed back", () -> PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE state"
                    + " = 'running' AND worker_id = 'returning' AND attempts = 2") == 1, WAIT);
            release.countDown();
            awaitState(returning, job, JobState.COMPLETED);
            assertThat(runner.isRunning()).isTrue();
        }
        Figures.operations(1);
        // ...and the run already going on finishes it: one run, no second one beside it.
        assertThat(log.overlaps()).isEmpty();
        assertThat(log.started(job.id())).isEqualTo(1);
        assertThat(returning.schedules().job(job.id()).workerId()).isEqualTo("returning");
    }

    private static AybJobs instance(String worker, DataSource dataSource, JobHandler handler) {
        return AybJobs.builder(AybMatviews.builder().dataSource(dataSource).build())
                .jobsEnabled(true).jobHandler(handler)
                .jobOptions(JobOptions.defaults().withWorkerId(worker).withLeaseDuration(LEASE)
                        .withIdlePollInterval(Duration.ofMillis(200)).withShutdownGrace(Duration.ofSeconds(2)))
                .build();
    }

    private static void awaitState(AybJobs instance, Job job, JobState state) {
        Await.until("job " + job.id() + " " + state, () -> instance.schedules().job(job.id()).state() == state, WAIT);
    }
}
