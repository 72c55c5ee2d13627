package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An application instance built without jobs (the default, as {@code jobs.enabled} is off by default in
 * the original): the schedule and job routes answer 503, manual refresh keeps working.
 */
class JobQueueDisabledApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String SCHEDULES = "/api/admin/schedules";
    private static final String JOBS = "/api/admin/jobs";

    private AdminApi api;

    @BeforeEach
    void start() {
        SampleSchema.create(PG);
        api = AdminApi.start(PG);
        assertThat(api.jobs().jobsEnabled()).isFalse();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static void assertJobQueueDisabled(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
        assertThat(reply.message()).isEqualTo("job queue is not enabled");
        assertThat(reply.error()).isEqualTo("job_queue_disabled");
        assertThat(reply.json().get("code").asInt()).isEqualTo(503);
    }

    @Test
    void listingSchedulesAndJobsAnswers503() {
        assertJobQueueDisabled(api.get(SCHEDULES));
        assertJobQueueDisabled(api.get(JOBS));
    }

    @Test
    void everyScheduleAndJobRouteAnswers503AndChangesNothing() {
        String job = JOBS + "/" + UUID.randomUUID();

        assertJobQueueDisabled(api.post(SCHEDULES, SeedScheduleExample.BODY));
        assertJobQueueDisabled(api.get(SCHEDULES + "/leaderboard_hourly"));
        assertJobQueueDisabled(api.put(SCHEDULES + "/leaderboard_hourly", "{\"cronExpr\": \"@daily\"}"));
        assertJobQueueDisabled(api.patch(SCHEDULES + "/leaderboard_hourly", "{\"cronExpr\": \"@daily\"}"));
        assertJobQueueDisabled(api.delete(SCHEDULES + "/leaderboard_hourly"));
        assertJobQueueDisabled(api.post(SCHEDULES + "/leaderboard_hourly/enable"));
        assertJobQueueDisabled(api.post(SCHEDULES + "/leaderboard_hourly/disable"));
        assertJobQueueDisabled(api.post(SCHEDULES + "/leaderboard_hourly/run"));
        assertJobQueueDisabled(api.get(job));
        assertJobQueueDisabled(api.post(job + "/retry"));
        assertJobQueueDisabled(api.post(job + "/cancel"));
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.job_schedules")).isZero();
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs")).isZero();
    }

    @Test
    void theGateComesBeforeTheBodyIsRead() {
        assertJobQueueDisabled(api.post(SCHEDULES, "not json"));
        assertJobQueueDisabled(api.send("POST", SCHEDULES, "text/plain", BodyPublishers.ofString("x")));
    }

    @Test
    void manualRefreshStillWorks() {
        api.matviews().registry().register(QualifiedName.parse("public.leaderboard"));

        Reply reply = api.post("/api/admin/matviews/public.leaderboard/refresh");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().at("/registration/lastRefreshStatus").asText()).isEqualTo("success");
    }

    @Test
    void cronPreviewStillWorksSinceItOnlyParses() {
        Reply reply = api.get(SCHEDULES + "/preview?cronExpr=0%20*%20*%20*%20*&count=2");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("nextRuns")).hasSize(2);
    }

    @Test
    void unknownMethodsStillAnswer405() {
        Reply onSchedules = api.delete(SCHEDULES);
        Reply onJobs = api.post(JOBS, "{}");

        assertThat(onSchedules.status()).isEqualTo(405);
        assertThat(onSchedules.header("Allow")).isEqualTo("GET, POST");
        assertThat(onJobs.status()).isEqualTo(405);
        assertThat(onJobs.header("Allow")).isEqualTo("GET");
    }

    @Test
    void callersWithoutTheTokenStillGet401() {
        Reply reply = api.send(api.unauthenticated(SCHEDULES).GET().build());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.message()).isEqualTo("admin authentication required");
    }
}
