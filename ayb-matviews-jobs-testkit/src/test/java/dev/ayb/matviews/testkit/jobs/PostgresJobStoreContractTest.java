package dev.ayb.matviews.testkit.jobs;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobResult;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.jobs.postgres.PostgresJobStore;
import dev.ayb.matviews.jobs.spi.JobStore;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.SettableClock;
import java.time.Instant;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The job store contract on PostgreSQL, over pools that commit themselves and pools that do not. */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class PostgresJobStoreContractTest extends JobStoreContract {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Parameter
    boolean autoCommit;

    private final SettableClock clock = new SettableClock(Instant.EPOCH);
    private AybJobs jobs;

    @Override
    protected JobStore newStore() {
        SampleSchema.reset(PG);
        // The shared pool (ten connections): enough for the contract's racing threads to meet in the database.
        DataSource dataSource = PG.dataSource(autoCommit);
        AybJobs.Builder builder = AybJobs.builder(AybMatviews.builder().dataSource(dataSource).build())
                .jobOptions(JobOptions.defaults().withCoordinationClock(clock));
        // Schedules are accepted only for job types with a handler.
        JOB_TYPES.forEach(type -> builder.jobHandler(JobHandler.of(type, job -> JobResult.done())));
        jobs = builder.build();
        return new PostgresJobStore(dataSource, AybMatviews.DEFAULT_SCHEMA);
    }

    @Override
    protected Schedule createSchedule(ScheduleSpec spec, Instant now) {
        clock.set(now);
        return jobs.schedules().create(spec);
    }
}
