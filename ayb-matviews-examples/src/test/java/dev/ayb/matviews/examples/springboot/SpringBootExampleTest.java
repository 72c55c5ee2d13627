package dev.ayb.matviews.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot example as a client sees it, over HTTP: with only the starter, a data source and the admin token,
 * it serves the admin API, the dashboard, {@code /actuator/health/matviews} and the refresh meters.
 */
class SpringBootExampleTest {
    private static final String TOKEN = "boot-example-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ConfigurableApplicationContext context;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        context = SpringBootExample.start("--server.port=0", "--ayb.matviews.admin.token=" + TOKEN,
                "--ayb.matviews.metrics.cache-for=0s");
        base = "http://localhost:" + SpringBootExample.port(context);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void aRefreshThroughTheAdminApiShowsInTheHealthAndTheMeters() throws Exception {
        HttpResponse<String> registered = send("POST", "/api/admin/matviews", TOKEN,
                "{\"viewName\": \"leaderboard\", \"refreshMode\": \"concurrent\"}");
        assertThat(registered.statusCode()).isEqualTo(201);
        HttpResponse<String> refreshed = send("POST", "/api/admin/matviews/public.leaderboard/refresh", TOKEN, null);
        assertThat(refreshed.statusCode()).isEqualTo(200);

        HttpResponse<String> health = send("GET", "/actuator/health/matviews", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode matviews = JSON.readTree(health.body());
        assertThat(matviews.path("status").asText()).isEqualTo("UP");
        assertThat(matviews.path("details").path("views").asInt()).isEqualTo(1);
        assertThat(matviews.path("details").path("status").asText()).isEqualTo("healthy");

        JsonNode timer = JSON.readTree(send("GET",
                "/actuator/metrics/ayb.matviews.refresh?tag=view:public.leaderboard&tag=outcome:success", null, null)
                .body());
        assertThat(measurement(timer, "COUNT")).isEqualTo(1);
        // As a scrape does: reading the views' count makes the gauges follow the registrations.
        JsonNode views = JSON.readTree(send("GET", "/actuator/metrics/ayb.matviews.views", null, null).body());
        assertThat(measurement(views, "VALUE")).isEqualTo(1);
        JsonNode age = JSON.readTree(send("GET",
                "/actuator/metrics/ayb.matviews.view.data.age?tag=view:public.leaderboard", null, null).body());
        assertThat(measurement(age, "VALUE")).isBetween(0.0, 60.0);
        JsonNode queued = JSON.readTree(send("GET", "/actuator/metrics/ayb.matviews.jobs?tag=state:queued", null,
                null).body());
        assertThat(measurement(queued, "VALUE")).isZero();
    }

    @Test
    void theAdminApiNeedsTheTokenAndTheDashboardIsServed() throws Exception {
        assertThat(send("GET", "/api/admin/matviews", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/admin/matviews", TOKEN, null).statusCode()).isEqualTo(200);
        HttpResponse<String> dashboard = send("GET", "/admin/", null, null);
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
    }

    private static double measurement(JsonNode meter, String statistic) {
        for (JsonNode measurement : meter.path("measurements")) {
            if (measurement.path("statistic").asText().equals(statistic)) {
                return measurement.path("value").asDouble();
            }
        }
        throw new AssertionError("no " + statistic + " in " + meter);
    }

    private static HttpResponse<String> send(String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
