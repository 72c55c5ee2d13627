package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Instances whose own clocks are ten minutes off: the queue coordinates on the database's clock, so such an
 * instance neither takes a live job from another, nor fires a tick early or late. Each test drives one poll.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class DatabaseTimeTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration SKEW = Duration.ofMinutes(10);

    private final List<Job> handled = new CopyOnWriteArrayList<>();
    private final List<JobRunner> runners = new CopyOnWriteArrayList<>();

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    @AfterEach
    void closeRunners() {
        runners.forEach(JobRunner::close);
    }

    @Test
    void anInstanceTenMinutesAheadDoesNotTakeAJobWhoseLeaseIsLive() {
        AybJobs ahead = instance("ahead", SKEW);
        ahead.schedules().create(ScheduleSpec.of("work", "count", "@yearly"));
        Job job = ahead.schedules().runNow("work");
        // Another instance runs it, its lease good for five more minutes of database time.
        PG.execute("UPDATE ayb.jobs SET state = 'running', attempts = 1, worker_id = 'live',"
                + " lease_until = clock_timestamp() + interval '5 minutes', last_run_at = clock_timestamp()");

        ahead.jobRunner().pollOnce();
        Figures.operations(1);

        Job after = ahead.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.RUNNING);
        assertThat(after.workerId()).isEqualTo("live");
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(handled).isEmpty();
    }

    @Test
    void anInstanceTenMinutesAheadDoesNotFireATickEarly() {
        AybJobs ahead = instance("ahead", SKEW);
        ahead.schedules().create(ScheduleSpec.of("work", "count", "@yearly"));
        PG.execute("UPDATE ayb.job_schedules SET next_run_at = clock_timestamp() + interval '1 minute'");

        ahead.jobRunner().pollOnce();
        Figures.operations(1);

        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs")).isZero();
        assertThat(handled).isEmpty();
    }

    @Test
    void anInstanceTenMinutesBehindFiresADueTickOnTime() {
        AybJobs behind = instance("behind", SKEW.negated());
        behind.schedules().create(ScheduleSpec.of("work", "count", "@yearly"));
        PG.execute("UPDATE ayb.job_schedules SET next_run_at = date_trunc('second', clock_timestamp())"
                + " - interval '1 second'");

        behind.jobRunner().pollOnce();
        Figures.operations(1);

        assertThat(handled).hasSize(1);
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE state = 'completed'")).isEqualTo(1);
    }

    @Test
    void aScheduleCreatedOnAnInstanceAheadIsDueAtTheNextTickOfDatabaseTime() {
        AybJobs ahead = instance("ahead", SKEW);

        ahead.schedules().create(ScheduleSpec.of("every_minute", "count", "* * * * *"));
        Figures.operations(1);

        assertThat(PG.queryLong("SELECT count(*) FROM ayb.job_schedules WHERE next_run_at > clock_timestamp()"
                + " - interval '5 seconds' AND next_run_at <= clock_timestamp() + interval '1 minute'")).isEqualTo(1);
    }

    private AybJobs instance(String workerId, Duration skew) {
        JobHandler counting = JobHandler.of("count", job -> {
            handled.add(job);
            return JobResult.done();
        });
        AybJobs jobs = AybJobs.builder(AybMatviews.builder().dataSource(PG.dataSource())
                .clock(Clock.offset(Clock.systemUTC(), skew)).build()).jobsEnabled(true).jobHandler(counting)
                .jobOptions(JobOptions.defaults().withWorkerId(workerId).withExecutor(new InlineExecutor()))
                .build();
        runners.add(jobs.jobRunner());
        Figures.faults(1);
        return jobs;
    }
}
