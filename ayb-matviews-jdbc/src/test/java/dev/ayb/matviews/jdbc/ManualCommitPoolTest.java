package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobResult;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The defect as a new user met it: on a pool set to {@code autoCommit=false} (the Spring/JPA default in many
 * applications) writes returned normally and never reached the database, and queued jobs ran again and again.
 * Every check reads through another pool, or a plain connection, so only what was committed counts.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class ManualCommitPoolTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private AybMatviews manual;
    private AybMatviews other;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        manual = AybMatviews.builder().dataSource(PG.newDataSource(2, false)).build();
        other = AybMatviews.builder().dataSource(PG.newDataSource(2, true)).build();
    }

    @Test
    void registrationsMadeOnAManualCommitPoolAreSeenByARefreshFromAnotherPool() {
        manual.registry().register(QualifiedName.parse("public.leaderboard"));
        manual.registry().updateMode("public.leaderboard", RefreshMode.CONCURRENT);
        manual.registry().updateTimeouts(ViewRef.parse("public.leaderboard"),
                RefreshTimeouts.of(Duration.ofSeconds(5), Duration.ofMinutes(1)));

        var refreshed = other.refreshes().refresh("public.leaderboard");

        assertThat(refreshed.registration().refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
        assertThat(refreshed.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(PG.queryLong("SELECT lock_timeout_ms FROM ayb.matview_registrations")).isEqualTo(5000);

        manual.registry().unregister("public.leaderboard");
        Figures.operations(5);

        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_registrations")).isZero();
    }

    @Test
    void refreshOutcomesOnAManualCommitPoolAreRecordedInEitherLockMode() {
        other.registry().register(QualifiedName.parse("public.leaderboard"));
        AybMatviews transactional = AybMatviews.builder().dataSource(PG.newDataSource(1, false))
                .lockMode(AdvisoryLockMode.TRANSACTION).build();

        manual.refreshes().refresh("public.leaderboard");
        transactional.refreshes().refresh("public.leaderboard");
        PG.execute("DROP MATERIALIZED VIEW leaderboard");
        assertThatThrownBy(() -> manual.refreshes().refresh("public.leaderboard"))
                .hasMessage("materialized view no longer exists in database");
        Figures.operations(3);

        assertThat(PG.queryString("SELECT string_agg(status, ',' ORDER BY id) FROM ayb.matview_refresh_runs"))
                .isEqualTo("success,success,error");
        assertThat(other.registry().get("public.leaderboard").lastRefreshError())
                .isEqualTo("materialized view no longer exists in database");
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
        AybMatviews worker = AybMatviews.builder().dataSource(PG.newDataSource(3, false)).jobsEnabled(true)
                .jobHandler(counting).jobOptions(JobOptions.defaults().withIdlePollInterval(Duration.ofMillis(50)))
                .build();
        // Queued through an autocommit pool, so that what is tested is the runner's claim and completion.
        AybMatviews admin = AybMatviews.builder().dataSource(PG.newDataSource(1, true)).jobHandler(counting).build();
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
    void everyCallLeavesAManualCommitConnectionAsItFoundIt() throws Exception {
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            AybMatviews onOne = AybMatviews.builder().dataSource(new OneConnectionDataSource(connection)).build();
            assertLeftAsFound(connection, "build");

            onOne.registry().register(QualifiedName.parse("public.leaderboard"));
            assertLeftAsFound(connection, "register");
            onOne.registry().get("public.leaderboard");
            onOne.registry().list();
            onOne.registry().discover();
            assertLeftAsFound(connection, "reads");
            onOne.refreshes().refresh("public.leaderboard");
            onOne.registry().history(ViewRef.parse("public.leaderboard"), 10);
            assertLeftAsFound(connection, "refresh and history");
            onOne.schedules().create(ScheduleSpec.of("nightly", "materialized_view_refresh", "0 3 * * *")
                    .withPayload(Map.of("view_name", "leaderboard")));
            onOne.schedules().runNow("nightly");
            onOne.schedules().jobs(null, null, 10);
            assertLeftAsFound(connection, "schedules and jobs");
            onOne.registry().unregister("public.leaderboard");
            assertLeftAsFound(connection, "unregister");
            Figures.operations(11);
        }
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs")).isEqualTo(1);
    }

    /**
     * Autocommit still off, and no transaction open: {@code now()} is the time the transaction began, so it
     * comes before a moment read just now from the server's clock only when an earlier call left one open.
     */
    private static void assertLeftAsFound(Connection connection, String after) throws Exception {
        assertThat(connection.getAutoCommit()).as("autocommit after " + after).isFalse();
        String justNow = PG.queryString("SELECT clock_timestamp()");
        try (PreparedStatement statement = connection.prepareStatement("SELECT now() >= ?::timestamptz")) {
            statement.setString(1, justNow);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                assertThat(row.getBoolean(1)).as("no transaction left open by " + after).isTrue();
            }
        } finally {
            connection.rollback();
        }
    }
}
