package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.http.AdminClient;
import dev.ayb.matviews.testkit.http.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's curl walk-through, against the demo started in-process on a free port. */
class DemoServerTest {
    private static RunningDemo demo;
    private static AdminClient admin;

    @BeforeAll
    static void startDemo() throws Exception {
        demo = RunningDemo.start(new DemoSettings(0, null, null, null, null, "demo-token", true));
        admin = new AdminClient(URI.create("http://localhost:" + demo.port()), demo.adminToken());
    }

    @AfterAll
    static void stopDemo() {
        demo.close();
    }

    @Test
    void theBannerNamesTheDatabaseTheApiAndTheDashboardAndEndsWithReady() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        demo.printBanner(new PrintStream(captured, true, StandardCharsets.UTF_8));

        String[] lines = captured.toString(StandardCharsets.UTF_8).split("\\R");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).matches("Database: jdbc:postgresql://localhost:\\d+/postgres\\?user=postgres&password=postgres");
        assertThat(lines[1]).isEqualTo("Admin API: http://localhost:" + demo.port() + "/api/admin/matviews");
        assertThat(lines[2]).isEqualTo("Dashboard: http://localhost:" + demo.port() + "/admin/");
        assertThat(lines[3]).isEqualTo("Ready");
    }

    @Test
    void theReadmeWalkThroughWorksAsWritten() throws Exception {
        JsonNode list = call("GET", "/api/admin/matviews", null, 200);
        assertThat(list.get("count").asInt()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(list.at("/items/0/changeTracking").asBoolean()).isTrue();
        assertThat(list.at("/items/0/targetLagMs").asLong()).isEqualTo(10_000);
        assertThat(list.at("/items/0/freshness/state").asText()).as("refreshed once at start").isEqualTo("current");

        JsonNode duplicate = call("POST", "/api/admin/matviews",
                "{\"viewName\": \"leaderboard\", \"schema\": \"public\", \"refreshMode\": \"standard\"}", 409);
        assertThat(duplicate.get("message").asText()).isEqualTo("materialized view already registered");

        JsonNode refreshed = call("POST", "/api/admin/matviews/public.leaderboard/refresh", null, 200);
        assertThat(refreshed.get("registration").get("lastRefreshStatus").asText()).isEqualTo("success");
        assertThat(refreshed.get("durationMs").isIntegralNumber()).isTrue();

        JsonNode skipped = call("POST", "/api/admin/matviews/public.leaderboard/refresh?ifChanged=true", null, 200);
        assertThat(skipped.get("skipped").asBoolean()).isTrue();
        assertThat(skipped.get("reason").asText()).isEqualTo("no source of the view changed since its last refresh");

        JsonNode sources = call("GET", "/api/admin/matviews/public.leaderboard/sources", null, 200);
        assertThat(sources.get("items").findValuesAsText("tableName")).containsExactlyInAnyOrder("users", "workouts");

        try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 30)");
        }
        assertThat(call("GET", "/api/admin/matviews/public.leaderboard", null, 200).at("/freshness/state").asText())
                .isEqualTo("behind");
        JsonNode ran = call("POST", "/api/admin/matviews/public.leaderboard/refresh?ifChanged=true", null, 200);
        assertThat(ran.get("skipped").asBoolean()).isFalse();

        JsonNode discovered = call("GET", "/api/admin/matviews/discovered", null, 200);
        assertThat(discovered.get("items").findValuesAsText("viewName")).contains("leaderboard", "workout_totals");

        JsonNode registered = call("POST", "/api/admin/matviews",
                "{\"viewName\": \"workout_totals\", \"refreshMode\": \"concurrent\"}", 201);
        assertThat(registered.get("refreshMode").asText()).isEqualTo("concurrent");
        call("POST", "/api/admin/matviews/workout_totals/refresh", null, 200);

        JsonNode history = call("GET", "/api/admin/matviews/public.leaderboard/history", null, 200);
        assertThat(history.get("items").findValuesAsText("status"))
                .containsExactly("success", "skipped", "success", "success");

        JsonNode firstPage = call("GET", "/api/collections/leaderboard?perPage=5", null, 200);
        assertThat(firstPage.get("items")).hasSize(5);
        JsonNode secondPage = call("GET", "/api/collections/leaderboard?perPage=5&after="
                + firstPage.get("nextCursor").asText(), null, 200);
        assertThat(secondPage.get("items")).hasSize(5);
        assertThat(secondPage.get("items").get(0).get("id")).isNotEqualTo(firstPage.get("items").get(0).get("id"));

        JsonNode schedules = call("GET", "/api/admin/schedules", null, 200);
        assertThat(schedules.get("items").findValuesAsText("name")).containsExactly("leaderboard_hourly");
        JsonNode job = call("POST", "/api/admin/schedules/leaderboard_hourly/run", null, 202);
        String jobPath = "/api/admin/jobs/" + job.get("id").asText();
        Await.until("the job to complete", () -> state(jobPath).equals("completed"), Duration.ofSeconds(20));
        assertThat(call("GET", "/api/admin/jobs?limit=5", null, 200).get("items").findValuesAsText("id"))
                .as("the newest jobs").contains(job.get("id").asText());

        // The target lag: a write shows up by itself within the target, then nothing refreshes while nothing changes.
        int runsBefore = call("GET", "/api/admin/matviews/public.leaderboard/history", null, 200).get("items").size();
        long writtenAt = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 30)");
        }
        Await.until("the leaderboard to be refreshed by itself", () -> call("GET",
                "/api/admin/matviews/public.leaderboard", null, 200).at("/freshness/state").asText().equals("current"),
                Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - writtenAt)).isLessThan(RunningDemo.LEADERBOARD_TARGET_LAG);
        Thread.sleep(3_000);
        JsonNode after = call("GET", "/api/admin/matviews/public.leaderboard/history", null, 200).get("items");
        assertThat(after).as("one refresh for the write, none while nothing changes").hasSize(runsBefore + 1);
        assertThat(after.get(0).get("trigger").asText()).isEqualTo("schedule");
    }

    @Test
    void twoDemosOnOneDatabaseBehaveAsTwoInstancesOfOneDeployment() throws Exception {
        try (RunningDemo second = RunningDemo.start(new DemoSettings(0, null, demo.databaseUrl(), null, null,
                "other-token", true))) {
            assertThat(second.matviews().registry().list()).hasSize(demo.matviews().registry().list().size());
            assertThat(second.jobs().schedules().list()).extracting(s -> s.name()).containsExactly("leaderboard_hourly");
            assertThat(second.port()).isNotEqualTo(demo.port());
        }
    }

    @Test
    void withChangeCaptureFromTheWalTheLeaderboardsTablesAreReadFromTheWal() throws Exception {
        try (RunningDemo walDemo = RunningDemo.start(new DemoSettings(0, null, null, null, null, "wal-token", false,
                AdvisoryLockMode.SESSION, ChangeCapture.WAL))) {
            AdminClient walAdmin = new AdminClient(URI.create("http://localhost:" + walDemo.port()), "wal-token");
            Reply sources = walAdmin.get("/api/admin/matviews/public.leaderboard/sources");
            assertThat(sources.status()).isEqualTo(200);
            assertThat(sources.json().get("items")).isNotEmpty().allSatisfy(item ->
                    assertThat(item.get("capture").asText()).as(item.toString()).isEqualTo("wal"));
            Reply before = walAdmin.get("/api/admin/matviews/public.leaderboard");
            assertThat(before.json().at("/freshness/state").asText()).isEqualTo("current");

            try (Connection connection = DriverManager.getConnection(walDemo.databaseUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute("UPDATE workouts SET duration_minutes = duration_minutes + 1 WHERE id = 1");
            }

            Reply after = walAdmin.get("/api/admin/matviews/public.leaderboard");
            assertThat(after.json().at("/freshness/state").asText()).isEqualTo("behind");
            assertThat(after.json().at("/freshness/behindSince").isNull()).isFalse();
        }
    }

    private static String state(String jobPath) {
        try {
            return call("GET", jobPath, null, 200).get("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException("GET " + jobPath, e);
        }
    }

    private static JsonNode call(String method, String path, String body, int expectedStatus) {
        Reply reply = body == null ? admin.send(admin.request(path).method(method, BodyPublishers.noBody()).build())
                : admin.json(method, path, body);
        assertThat(reply.status()).as(method + " " + path + " -> " + reply.body()).isEqualTo(expectedStatus);
        return reply.body().isEmpty() ? null : reply.json();
    }
}
