package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@link AybJobs.Builder} accepts, refuses and gives, with jobs run here or not. */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class AybJobsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Parameter
    boolean autoCommit;

    private AybMatviews matviews;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        matviews = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).build();
    }

    @Test
    void schedulesAreAvailableWhenJobsDoNotRunHere() {
        AybJobs jobs = AybJobs.builder(matviews).jobHandler(JobHandler.of("mine", job -> JobResult.done())).build();

        jobs.schedules().create(ScheduleSpec.of("nightly", "materialized_view_refresh", "0 3 * * *")
                .withPayload(Map.of("view_name", "leaderboard")));
        Job job = jobs.schedules().runNow("nightly");

        assertThat(jobs.jobsEnabled()).isFalse();
        assertThat(jobs.schedules().jobTypes()).containsExactlyInAnyOrder("materialized_view_refresh", "mine");
        assertThat(jobs.schedules().list()).extracting(Schedule::name).containsExactly("nightly");
        assertThat(jobs.schedules().job(job.id()).state()).isEqualTo(JobState.QUEUED);
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs")).isEqualTo(1);
    }

    @Test
    void listenersAreToldOfEachAttemptAndOneThatThrowsStopsNothing() {
        List<String> heard = new CopyOnWriteArrayList<>();
        AybJobs jobs = AybJobs.builder(matviews)
                .jobHandler(JobHandler.of("boom", job -> {
                    throw new IllegalStateException("no luck");
                }))
                .listener(attempt -> {
                    throw new IllegalStateException("a broken metrics hook");
                })
                .listener(attempt -> heard.add(attempt.job().type() + " " + attempt.outcome()))
                .build();
        jobs.schedules().create(ScheduleSpec.of("s", "boom", "@daily"));
        jobs.schedules().runNow("s");

        PollResult pass = jobs.pollOnce();

        assertThat(pass.attempts()).singleElement()
                .satisfies(attempt -> assertThat(attempt.outcome()).isEqualTo(JobAttempt.Outcome.RETRY_SCHEDULED));
        assertThat(heard).containsExactly("boom RETRY_SCHEDULED");
    }

    @Test
    void theRunnerIsRefusedUnlessJobsAreEnabled() {
        AybJobs off = AybJobs.builder(matviews).jobsEnabled(false).build();
        AybJobs on = AybJobs.builder(matviews).jobsEnabled(true).build();

        assertThatThrownBy(off::jobRunner).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.JOB_QUEUE_DISABLED);
            assertThat(e.getMessage()).isEqualTo("job queue is not enabled");
        });
        assertThat(on.jobsEnabled()).isTrue();
        assertThat(on.jobRunner()).isSameAs(on.jobRunner());
        assertThat(on.jobRunner().isRunning()).as("built, not started").isFalse();
    }

    @Test
    void aDuplicateOrNamelessHandlerIsRefused() {
        AybJobs.Builder twice = AybJobs.builder(matviews).jobHandler(JobHandler.of("mine", job -> JobResult.done()))
                .jobHandler(JobHandler.of("mine", job -> JobResult.done()));

        assertThatThrownBy(twice::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("job type mine already has a handler; each job type takes one");
        assertThatThrownBy(() -> AybJobs.builder(matviews).jobHandler(JobHandler.of(" ", job -> JobResult.done())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a job handler needs a job type");
    }

    @Test
    void itSharesTheRegistryOfTheInstanceItIsBuiltFrom() {
        AybJobs jobs = AybJobs.builder(matviews).build();
        jobs.matviews().registry().register(QualifiedName.parse("public.leaderboard"));

        assertThat(jobs.matviews()).isSameAs(matviews);
        assertThat(matviews.registry().list()).hasSize(1);
    }
}
