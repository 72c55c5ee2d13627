package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.testkit.http.AdminClient;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.http.SseClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The README's "watch it live", against a demo of its own (the walk-through in {@link DemoServerTest} counts the
 * runs of its demo): {@code curl -N .../api/collections/leaderboard/events} in one terminal shows an event for a
 * refresh made from another terminal, on another instance of the deployment, and by the view's schedule.
 */
class DemoEventsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void theLeaderboardsEventsShowEachRefreshMadeAnywhereInTheDeployment() throws Exception {
        try (RunningDemo demo = RunningDemo.start(new DemoSettings(0, null, null, null, null, "demo-token", true));
             RunningDemo second = RunningDemo.start(new DemoSettings(0, null, demo.databaseUrl(), null, null,
                     "other-token", false))) {
            AdminClient admin = new AdminClient(URI.create("http://localhost:" + demo.port()), demo.adminToken());
            HttpRequest watch = HttpRequest.newBuilder(admin.uri("/api/collections/leaderboard/events"))
                    .header("Authorization", "Bearer " + admin.token()).GET().build();
            try (SseClient terminal = SseClient.open(HttpClient.newHttpClient(), watch, PATIENCE)) {
                assertThat(terminal.status()).isEqualTo(200);

                Reply refreshed = admin.post("/api/admin/matviews/public.leaderboard/refresh");
                assertThat(refreshed.status()).isEqualTo(200);
                assertThat(refreshEvent(terminal).get("lastRefreshAt").asText())
                        .isEqualTo(refreshed.json().at("/registration/lastRefreshAt").asText());

                second.matviews().refreshes().refresh("public.leaderboard");
                assertThat(refreshEvent(terminal).get("status").asText()).isEqualTo("success");

                assertThat(admin.post("/api/admin/schedules/leaderboard_hourly/run").status()).isEqualTo(202);
                assertThat(refreshEvent(terminal).get("viewName").asText()).isEqualTo("leaderboard");
            }
        }
    }

    private static JsonNode refreshEvent(SseClient terminal) throws IOException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            SseClient.Event event = terminal.next(Duration.ofMillis(200));
            if (event != null && event.event().equals("refresh")) {
                return new ObjectMapper().readTree(event.data());
            }
        }
        throw new AssertionError("no refresh event within " + PATIENCE);
    }
}
