package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end on the wall clock, kept short: three application instances share one database, each running
 * jobs; a schedule created over HTTP on one of them refreshes the view once per job, whichever instance runs
 * it, and every run is visible in the view's history and the job list. The tick rules themselves (none run
 * twice, none skipped, instances racing for each tick) are tested on a settable clock in the jdbc module's
 * JobQueueTest, where they do not depend on a loaded machine keeping up with one-second ticks.
 */
class ScheduledRefreshAcrossInstancesTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final int INSTANCES = 3;
    private static final int ENOUGH_JOBS = 3;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Every second: six fields, a leading seconds field. */
    private static final String EVERY_SECOND = "* * * * * *";

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    private static AybJobs instance(int number) {
        return AybJobs.builder(AybMatviews.builder()
                .dataSource(PG.newDataSource(3)).build())
                .jobsEnabled(true)
                .jobOptions(JobOptions.defaults()
                        .withWorkerId("instance-" + number)
                        .withIdlePollInterval(Duration.ofMillis(500)))
                .build();
    }

    private static long count(String where) {
        return PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE " + where);
    }

    private static Set<String> strings(String sql) {
        Set<String> values = new HashSet<>();
        try (Connection connection = PG.connection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return values;
    }

    @Test
    void threeInstancesRefreshTheViewExactlyOncePerTickOfAScheduleCreatedOverHttp() {
        List<AybJobs> instances = new ArrayList<>();
        List<JobRunner> runners = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            instances.add(instance(i));
        }
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        try (AdminApi api = AdminApi.over(instances.get(0))) {
            instances.forEach(instance -> runners.add(instance.jobRunner().start()));

            Reply created = SeedScheduleExample.send(api, SeedScheduleExample.body(EVERY_SECOND));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String scheduleId = created.json().get("id").asText();
            Await.until(ENOUGH_JOBS + " completed jobs", () -> count("state = 'completed'") >= ENOUGH_JOBS, PATIENCE);
            Reply disabled = api.post(SeedScheduleExample.PATH + "/" + SeedScheduleExample.NAME + "/disable");
            assertThat(disabled.status()).isEqualTo(200);
            assertThat(disabled.json().get("nextRunAt").isNull()).isTrue();
            Await.until("the last enqueued jobs to finish", () -> count("state IN ('queued', 'running')") == 0);

            long jobs = count("true");
            assertThat(jobs).isGreaterThanOrEqualTo(ENOUGH_JOBS);
            assertThat(count("schedule_id = '" + scheduleId + "' AND scheduled_for IS NOT NULL")).isEqualTo(jobs);
            assertThat(count("state = 'completed' AND result LIKE 'refreshed %' AND attempts = 1"))
                    .as("every job refreshed the view, in one attempt").isEqualTo(jobs);
            assertThat(strings("SELECT DISTINCT worker_id FROM ayb.jobs"))
                    .isSubsetOf("instance-1", "instance-2", "instance-3");

            JsonNode history = api.get("/api/admin/matviews/public.leaderboard/history?limit=1000").json();
            assertThat(history.get("count").asLong()).isEqualTo(jobs);
            assertThat(history.get("items")).allSatisfy(run -> {
                assertThat(run.get("status").asText()).isEqualTo("success");
                assertThat(run.get("trigger").asText()).isEqualTo("schedule");
            });

            Reply completed = api.get("/api/admin/jobs?state=completed&limit=1000");
            assertThat(completed.json().get("count").asLong()).isEqualTo(jobs);
            Set<String> listed = new HashSet<>();
            completed.json().get("items").forEach(job -> listed.add(job.get("id").asText()));
            assertThat(listed).isEqualTo(strings("SELECT id::text FROM ayb.jobs"));
            assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
        } finally {
            runners.forEach(JobRunner::close);
        }
    }
}
