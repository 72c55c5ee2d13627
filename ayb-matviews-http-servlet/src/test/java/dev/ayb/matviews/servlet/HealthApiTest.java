package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /api/admin/health}: 200 while every view is healthy, 503 with the reasons once one is not. */
class HealthApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String HEALTH = "/api/admin/health";

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

    @Test
    void healthyViewsAnswer200() {
        Registration leaderboard = api.matviews().registry().register(QualifiedName.parse("leaderboard"));
        api.matviews().refreshes().refresh(leaderboard.schemaName() + "." + leaderboard.viewName());

        Reply reply = api.get(HEALTH);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(Fields.of(json)).containsExactly("status", "checkedAt", "behindThresholdMs", "views", "unhealthy");
        assertThat(json.get("status").asText()).isEqualTo("healthy");
        assertThat(json.get("views").asInt()).isEqualTo(1);
        assertThat(json.get("behindThresholdMs").asLong()).isEqualTo(3_600_000);
        assertThat(json.get("unhealthy")).isEmpty();
        assertThat(Instant.parse(json.get("checkedAt").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(reply.header("Cache-Control")).contains("no-store");
    }

    @Test
    void aViewWhoseLastRefreshFailedAnswers503NamingItAndTheError() {
        api.matviews().registry().register(QualifiedName.parse("leaderboard"));
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        Registration failing = api.matviews().registry().register(QualifiedName.parse("user_names"),
                RefreshMode.CONCURRENT);
        try {
            api.matviews().refreshes().refresh("public.user_names");
        } catch (MatviewException expected) {
            // Recorded as a failed run: what makes the view unhealthy.
        }

        Reply reply = api.get(HEALTH);

        assertThat(reply.status()).isEqualTo(503);
        JsonNode json = reply.json();
        assertThat(json.get("status").asText()).isEqualTo("unhealthy");
        assertThat(json.get("views").asInt()).isEqualTo(2);
        assertThat(json.get("unhealthy")).hasSize(1);
        JsonNode view = json.get("unhealthy").get(0);
        assertThat(Fields.of(view)).containsExactly("id", "schemaName", "viewName", "problems", "lastRefreshAt",
                "lastRefreshError", "behindSince");
        assertThat(view.get("id").asText()).isEqualTo(failing.id().toString());
        assertThat(view.get("viewName").asText()).isEqualTo("user_names");
        assertThat(view.get("problems").toString()).isEqualTo("[\"failing\"]");
        assertThat(view.get("lastRefreshError").asText()).contains("unique index");
        assertThat(view.get("behindSince").isNull()).isTrue();
    }

    @Test
    void aTrackedViewBehindLongerThanTheThresholdAnswers503SinceItsFirstUnseenChange() {
        api.close();
        api = AdminApi.over(AybMatviews.builder().dataSource(PG.dataSource()).healthBehindThreshold(Duration.ZERO)
                .build());
        api.matviews().registry().register(QualifiedName.parse("leaderboard"), RefreshMode.STANDARD,
                RefreshTimeouts.NONE, true);
        api.matviews().refreshes().refresh("public.leaderboard");
        assertThat(api.get(HEALTH).status()).as("current right after its refresh").isEqualTo(200);

        Instant beforeWrite = Instant.now();
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 5)");

        Reply reply = api.get(HEALTH);
        assertThat(reply.status()).isEqualTo(503);
        JsonNode view = reply.json().get("unhealthy").get(0);
        assertThat(view.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(view.get("problems").toString()).isEqualTo("[\"behind\"]");
        assertThat(view.get("lastRefreshError").isNull()).isTrue();
        assertThat(Instant.parse(view.get("behindSince").asText())).isAfterOrEqualTo(beforeWrite.minusSeconds(1));

        api.matviews().refreshes().refresh("public.leaderboard");
        assertThat(api.get(HEALTH).status()).as("current again after a refresh").isEqualTo(200);
    }

    @Test
    void healthNeedsTheAdminToken() {
        assertThat(api.send(api.unauthenticated(HEALTH).GET().build()).status()).isEqualTo(401);
    }
}
