package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.OneConnectionDataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The jobs' side of the defect a new user met: on a pool set to {@code autoCommit=false} (the Spring/JPA default
 * in many applications) schedule changes returned normally and never reached the database, and queued jobs ran
 * again and again. Every check reads through another pool, or a plain connection, so only what was committed
 * counts.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class ManualCommitPoolJobsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private AybJobs manual;
    private AybJobs other;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        manual = AybJobs.builder(AybMatviews.builder().dataSource(PG.newDataSource(2, false)).build()).build();
        other = AybJobs.builder(AybMatviews.builder().dataSource(PG.newDataSource(2, true)).build()).build();
    }

    @Test
    void schedulesChangedOnAManualCommitPoolAreStored() {
        manual.schedules().create(ScheduleSpec.of("nightly", "materialized_view_refresh", "0 3 * * *")
                .withPayload(Map.of("view_name", "leaderboard")));
        manual.schedules().disable("nightly");

        assertThat(PG.queryString("SELECT enabled FROM ayb.job_schedules WHERE name = 'nightly'")).isEqualTo("f");

        manual.schedules().delete("nightly");
        Figures.operations(3);

        assertThat(PG.queryLong("SELECT count(*) FROM ayb.job_schedules")).isZero();
    }

    @Test
    void aQueuedJobOnAManualCommitPoolRunsOnceAndCompletes() {
        AtomicInteger runs = new AtomicInteger();
        JobHandler counting = JobHandler.of("count", job -> {
            runs.incrementAndGet();
            return JobResult.done();
        });
        AybJobs worker = AybJobs.builder(AybMatviews.builder().dataSource(PG.newDataSource(3, false)).build())
                .jobsEnabled(true).jobHandler(counting)
                .jobOptions(JobOptions.defaults().withIdlePollInterval(Duration.ofMillis(50))).build();
        // Queued through an autocommit pool, so that what is tested is the runner's claim and completion.
        AybJobs admin = AybJobs.builder(AybMatviews.builder().dataSource(PG.newDataSource(1, true)).build())
                .jobHandler(counting).build();
        admin.schedules().create(ScheduleSpec.of("counter", "count", "@yearly"));

        try (JobRunner runner = worker.jobRunner().start()) {
            Job job = admin.schedules().runNow("counter");

            Await.until("the job to be completed, as another pool sees it",
                    () -> other.schedules().job(job.id()).state() == JobState.COMPLETED);
            assertThat(other.schedules().job(job.id()).attempts()).isEqualTo(1);
            assertThat(runner.isRunning()).isTrue();
        }
        Figures.operations(1);
        assertThat(runs).hasValue(1);
    }

    @Test
    void everyScheduleCallLeavesAManualCommitConnectionAsItFoundIt() throws Exception {
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            OneConnectionDataSource one = new OneConnectionDataSource(connection);
            AybMatviews matviews = AybMatviews.builder().dataSource(one).build();
            AybJobs onOne = AybJobs.builder(matviews).build();
            one.assertLeftAsFound(PG, "build");

            matviews.registry().register(QualifiedName.parse("public.leaderboard"));
            onOne.schedules().create(ScheduleSpec.of("nightly", "materialized_view_refresh", "0 3 * * *")
                    .withPayload(Map.of("view_name", "leaderboard")));
            onOne.schedules().runNow("nightly");
            onOne.schedules().jobs(null, null, 10);
            one.assertLeftAsFound(PG, "schedules and jobs");
            Figures.operations(5);
        }
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs")).isEqualTo(1);
    }
}
