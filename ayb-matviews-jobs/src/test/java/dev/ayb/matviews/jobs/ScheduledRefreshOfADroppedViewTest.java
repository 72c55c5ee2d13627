package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.SettableClock;
import dev.ayb.matviews.testkit.reliability.Figures;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A schedule that still points at a view dropped after registration: the job's outcome and the registration
 * both say the view no longer exists, as a manual refresh would.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class ScheduledRefreshOfADroppedViewTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String NO_LONGER_EXISTS = "materialized view no longer exists in database";

    private final SettableClock clock = new SettableClock(Instant.parse("2026-02-22T10:15:00Z"));
    private AybJobs jobs;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        jobs = AybJobs.builder(AybMatviews.builder().dataSource(PG.dataSource()).clock(clock).build())
                .jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withWorkerId("worker-a").withExecutor(new InlineExecutor()))
                .build();
    }

    @AfterEach
    void closeRunner() {
        jobs.jobRunner().close();
    }

    @Test
    void theJobFailsWithNoLongerExistsAndTheRegistrationRecordsIt() {
        registry().register(QualifiedName.parse("public.leaderboard"));
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "leaderboard")));
        PG.execute("DROP MATERIALIZED VIEW leaderboard");
        Figures.faults(1);
        Job job = jobs.schedules().runNow("s");

        jobs.jobRunner().pollOnce();
        Figures.operations(1);

        assertThat(jobs.schedules().job(job.id()).lastError()).isEqualTo(NO_LONGER_EXISTS);
        assertThat(registry().get("public.leaderboard").lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(registry().get("public.leaderboard").lastRefreshError()).isEqualTo(NO_LONGER_EXISTS);
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    /** The registry of the instance the scheduler under test was built from. */
    private dev.ayb.matviews.MatviewRegistry registry() {
        return jobs.matviews().registry();
    }
}
