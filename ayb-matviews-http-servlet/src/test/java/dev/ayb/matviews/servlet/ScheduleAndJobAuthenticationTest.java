package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The schedule and job routes are admin routes: without the token nothing is read, changed or run. */
class ScheduleAndJobAuthenticationTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

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

    @Test
    void everyScheduleAndJobRouteAnswers401WithoutTheToken() {
        String schedule = "/api/admin/schedules/leaderboard_hourly";
        String job = "/api/admin/jobs/" + UUID.randomUUID();
        List<HttpRequest> requests = List.of(
                api.unauthenticated("/api/admin/schedules").GET().build(),
                api.unauthenticated("/api/admin/schedules").header("Content-Type", "application/json")
                        .POST(BodyPublishers.ofString(SeedScheduleExample.body("@daily").replace("_hourly", "_daily")))
                        .build(),
                api.unauthenticated("/api/admin/schedules/preview?cronExpr=@hourly").GET().build(),
                api.unauthenticated(schedule).GET().build(),
                api.unauthenticated(schedule).header("Content-Type", "application/json")
                        .method("PATCH", BodyPublishers.ofString("{\"cronExpr\": \"@daily\"}")).build(),
                api.unauthenticated(schedule).header("Content-Type", "application/json")
                        .PUT(BodyPublishers.ofString("{\"cronExpr\": \"@daily\"}")).build(),
                api.unauthenticated(schedule).DELETE().build(),
                api.unauthenticated(schedule + "/disable").POST(BodyPublishers.noBody()).build(),
                api.unauthenticated(schedule + "/enable").POST(BodyPublishers.noBody()).build(),
                api.unauthenticated(schedule + "/run").POST(BodyPublishers.noBody()).build(),
                api.unauthenticated("/api/admin/jobs").GET().build(),
                api.unauthenticated(job).GET().build(),
                api.unauthenticated(job + "/retry").POST(BodyPublishers.noBody()).build(),
                api.unauthenticated(job + "/cancel").POST(BodyPublishers.noBody()).build());

        for (HttpRequest request : requests) {
            Reply reply = api.send(request);

            assertThat(reply.status()).as(request.method() + " " + request.uri()).isEqualTo(401);
            assertThat(reply.message()).isEqualTo("admin authentication required");
        }
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.job_schedules WHERE cron_expr = '0 * * * *'"
                + " AND enabled")).isEqualTo(1);
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.job_schedules")).isEqualTo(1);
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs")).isZero();
    }
}
