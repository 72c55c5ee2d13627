package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two admin API examples of the seed document, sent exactly as written there (method, path, headers
 * and body text), with this test's port and token in place of localhost:8090 and $AYB_ADMIN_TOKEN.
 */
class SeedCurlExamplesTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /*
     * curl -X POST http://localhost:8090/api/admin/matviews \
     *   -H "Authorization: Bearer $AYB_ADMIN_TOKEN" \
     *   -H "Content-Type: application/json" \
     *   -d '{"viewName": "leaderboard", "schema": "public", "refreshMode": "standard"}'
     */
    private static final String REGISTER_PATH = "/api/admin/matviews";
    private static final String REGISTER_BODY = "{\"viewName\": \"leaderboard\", \"schema\": \"public\", \"refreshMode\": \"standard\"}";

    /*
     * curl -X POST http://localhost:8090/api/admin/matviews/550e8400-e29b-41d4-a716-446655440000/refresh \
     *   -H "Authorization: Bearer $AYB_ADMIN_TOKEN"
     */
    private static final String REFRESH_PATH = "/api/admin/matviews/%s/refresh";

    private AdminApi api;

    @BeforeEach
    void start() {
        SampleSchema.create(PG);
        api = AdminApi.start(PG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Reply curlRegister() {
        return api.send(HttpRequest.newBuilder(api.uri(REGISTER_PATH))
                .header("Authorization", "Bearer " + api.token())
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(REGISTER_BODY))
                .build());
    }

    private Reply curlRefresh(String id) {
        return api.send(HttpRequest.newBuilder(api.uri(String.format(REFRESH_PATH, id)))
                .header("Authorization", "Bearer " + api.token())
                .POST(BodyPublishers.noBody())
                .build());
    }

    @Test
    void theRegisterExampleRegistersTheLeaderboard() {
        Reply reply = curlRegister();

        assertThat(reply.status()).isEqualTo(201);
        JsonNode registration = reply.json();
        assertThat(Fields.of(registration)).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(registration.get("schemaName").asText()).isEqualTo("public");
        assertThat(registration.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(registration.get("refreshMode").asText()).isEqualTo("standard");
        assertThat(registration.get("lastRefreshStatus").isNull()).isTrue();
    }

    @Test
    void theRefreshExampleRefreshesTheRegisteredLeaderboardAndReportsTheDuration() {
        String id = curlRegister().json().get("id").asText();
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        Reply reply = curlRefresh(id);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        JsonNode registration = json.get("registration");
        assertThat(Fields.of(registration)).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(registration.get("id").asText()).isEqualTo(id);
        assertThat(registration.get("lastRefreshStatus").asText()).isEqualTo("success");
        assertThat(registration.get("lastRefreshAt").asText()).endsWith("Z");
        assertThat(registration.get("lastRefreshDurationMs").asLong()).isEqualTo(json.get("durationMs").asLong());
        assertThat(json.get("durationMs").isIntegralNumber()).isTrue();
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
    }
}
