package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /api/admin/jobs}: listing with filters, reading one job, retry and cancel. No runner is started,
 * so a job queued by "run now" stays queued until the test moves it.
 */
class JobApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String JOBS = "/api/admin/jobs";

    private AdminApi api;

    @BeforeEach
    void start() {
        SampleSchema.create(PG);
        api = AdminApi.withJobs(PG);
        assertThat(SeedScheduleExample.send(api, SeedScheduleExample.BODY).status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** A queued job, enqueued through "run now". */
    private String queuedJob() {
        Reply run = api.post("/api/admin/schedules/leaderboard_hourly/run");
        assertThat(run.status()).isEqualTo(202);
        return run.json().get("id").asText();
    }

    private static void assertRefused(Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.message()).isEqualTo(message);
    }

    private static String state(Reply reply) {
        return reply.json().get("state").asText();
    }

    @Test
    void listReturnsEveryJobWithEveryField() {
        String first = queuedJob();
        String second = queuedJob();

        Reply reply = api.get(JOBS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("count").asInt()).isEqualTo(2);
        assertThat(reply.json().get("items")).extracting(job -> job.get("id").asText())
                .containsExactlyInAnyOrder(first, second);
        for (JsonNode job : reply.json().get("items")) {
            assertThat(Fields.of(job)).containsExactlyElementsOf(WireFields.JOB);
        }
    }

    @Test
    void listFiltersByState() {
        String canceled = queuedJob();
        String queued = queuedJob();
        api.post(JOBS + "/" + canceled + "/cancel");

        Reply onlyQueued = api.get(JOBS + "?state=queued");
        Reply onlyCanceled = api.get(JOBS + "?state=canceled");
        Reply none = api.get(JOBS + "?state=completed");
        Reply all = api.get(JOBS + "?state=");

        assertThat(onlyQueued.json().get("items")).extracting(job -> job.get("id").asText()).containsExactly(queued);
        assertThat(onlyCanceled.json().get("items")).extracting(job -> job.get("id").asText()).containsExactly(canceled);
        assertThat(none.json().get("count").asInt()).isZero();
        assertThat(all.json().get("count").asInt()).isEqualTo(2);
    }

    @Test
    void listFiltersByTypeBindingTheTextAsAValue() {
        queuedJob();

        Reply refreshes = api.get(JOBS + "?type=materialized_view_refresh");
        Reply other = api.get(JOBS + "?type=send_newsletter");
        Reply injection = api.get(JOBS + "?type=x%27%20OR%20%271%27%3D%271");

        assertThat(refreshes.json().get("count").asInt()).isEqualTo(1);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.json().get("count").asInt()).isZero();
        assertThat(injection.status()).isEqualTo(200);
        assertThat(injection.json().get("count").asInt()).isZero();
    }

    @Test
    void listReturnsAtMostTheLimit() {
        queuedJob();
        queuedJob();
        queuedJob();

        assertThat(api.get(JOBS + "?limit=2").json().get("count").asInt()).isEqualTo(2);
        assertThat(api.get(JOBS + "?limit=1000").json().get("count").asInt()).isEqualTo(3);
    }

    @Test
    void anUnknownStateIsRefused() {
        assertRefused(api.get(JOBS + "?state=done"), 400, "state must be one of queued, running, completed, failed, canceled");
        assertRefused(api.get(JOBS + "?state=QUEUED"), 400, "state must be one of queued, running, completed, failed, canceled");
    }

    @Test
    void aLimitOutsideOneToAThousandIsRefused() {
        assertRefused(api.get(JOBS + "?limit=0"), 400, "limit must be between 1 and 1000");
        assertRefused(api.get(JOBS + "?limit=1001"), 400, "limit must be between 1 and 1000");
        assertRefused(api.get(JOBS + "?limit=ten"), 400, "limit must be an integer between 1 and 1000");
        assertRefused(api.get(JOBS + "?limit=99999999999"), 400, "limit must be an integer between 1 and 1000");
    }

    @Test
    void aJobIdThatIsNotAUuidIsRefusedOnEveryRoute() {
        for (String id : new String[] {"not-a-uuid", "1-1-1-1-1", "550e8400-e29b-41d4-a716-44665544000g"}) {
            assertRefused(api.get(JOBS + "/" + id), 400, "invalid job id format");
            assertRefused(api.post(JOBS + "/" + id + "/retry"), 400, "invalid job id format");
            assertRefused(api.post(JOBS + "/" + id + "/cancel"), 400, "invalid job id format");
        }
        assertThat(api.get(JOBS + "/not-a-uuid").error()).isEqualTo("invalid_id_format");
    }

    @Test
    void anUnknownJobAnswers404() {
        String id = UUID.randomUUID().toString();

        assertRefused(api.get(JOBS + "/" + id), 404, "job not found");
        assertRefused(api.post(JOBS + "/" + id + "/retry"), 404, "job not found");
        assertRefused(api.post(JOBS + "/" + id + "/cancel"), 404, "job not found");
    }

    @Test
    void getReturnsTheJobSoThatARunCanBePolled() {
        String id = queuedJob();

        Reply reply = api.get(JOBS + "/" + id);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(Fields.of(reply.json())).containsExactlyElementsOf(WireFields.JOB);
        assertThat(reply.json().get("id").asText()).isEqualTo(id);
        assertThat(state(reply)).isEqualTo("queued");
    }

    @Test
    void aQueuedJobCanBeCanceledOnceAndThenRetried() {
        String id = queuedJob();

        Reply canceled = api.post(JOBS + "/" + id + "/cancel");
        Reply canceledAgain = api.post(JOBS + "/" + id + "/cancel");
        Reply retried = api.post(JOBS + "/" + id + "/retry");

        assertThat(canceled.status()).isEqualTo(200);
        assertThat(state(canceled)).isEqualTo("canceled");
        assertThat(canceled.json().get("canceledAt").asText()).endsWith("Z");
        assertThat(canceledAgain.status()).isEqualTo(409);
        assertThat(canceledAgain.error()).isEqualTo("invalid_job_state");
        assertThat(canceledAgain.message()).isEqualTo("job is canceled; only queued jobs can be canceled");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(state(retried)).isEqualTo("queued");
        assertThat(retried.json().get("canceledAt").isNull()).isTrue();
        assertThat(state(api.get(JOBS + "/" + id))).isEqualTo("queued");
    }

    @Test
    void aQueuedJobCannotBeRetried() {
        String id = queuedJob();

        Reply reply = api.post(JOBS + "/" + id + "/retry");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.message()).isEqualTo("job is queued; only failed or canceled jobs can be retried");
    }

    @Test
    void retryingAFailedJobQueuesItWithFreshAttempts() {
        String id = queuedJob();
        PG.execute("UPDATE ayb.jobs SET state = 'failed', attempts = 3, last_error = 'boom' WHERE id = '" + id + "'");

        Reply reply = api.post(JOBS + "/" + id + "/retry");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(state(reply)).isEqualTo("queued");
        assertThat(reply.json().get("attempts").asInt()).isZero();
        assertThat(reply.json().get("lastError").isNull()).isTrue();
    }

    @Test
    void aCompletedJobCanBeNeitherCanceledNorRetried() {
        String id = queuedJob();
        PG.execute("UPDATE ayb.jobs SET state = 'completed', result = 'refreshed' WHERE id = '" + id + "'");

        assertThat(api.post(JOBS + "/" + id + "/cancel").status()).isEqualTo(409);
        assertThat(api.post(JOBS + "/" + id + "/retry").status()).isEqualTo(409);
        assertThat(api.get(JOBS + "/" + id).json().get("result").asText()).isEqualTo("refreshed");
    }
}
