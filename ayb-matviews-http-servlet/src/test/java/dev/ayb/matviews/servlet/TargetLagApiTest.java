package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code targetLagMs} in the register and update bodies, and the lag in every registration's freshness. */
class TargetLagApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String MATVIEWS = "/api/admin/matviews";

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
    void aTargetIsRegisteredChangedAndClearedWithNull() {
        Reply registered = api.post(MATVIEWS, "{\"viewName\":\"leaderboard\",\"changeTracking\":true,"
                + "\"targetLagMs\":5000}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        assertThat(Fields.of(registered.json())).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(registered.json().get("targetLagMs").asLong()).isEqualTo(5000);

        JsonNode changed = api.patch(MATVIEWS + "/public.leaderboard", "{\"targetLagMs\":30000}").json();
        assertThat(changed.get("targetLagMs").asLong()).isEqualTo(30000);
        assertThat(changed.get("changeTracking").asBoolean()).as("left as it was").isTrue();

        JsonNode cleared = api.patch(MATVIEWS + "/public.leaderboard", "{\"targetLagMs\":null}").json();
        assertThat(cleared.get("targetLagMs").isNull()).isTrue();
    }

    @Test
    void aTargetThatIsNotAPositiveNumberOfMillisecondsIsRefused() {
        Reply zero = api.post(MATVIEWS, "{\"viewName\":\"leaderboard\",\"targetLagMs\":0}");
        Reply text = api.post(MATVIEWS, "{\"viewName\":\"leaderboard\",\"targetLagMs\":\"5s\"}");

        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().get("message").asText()).contains("targetLagMs");
        assertThat(text.status()).isEqualTo(400);
        assertThat(api.get(MATVIEWS).json().get("items")).as("nothing registered").isEmpty();
    }

    @Test
    void aBehindViewShowsItsLagAndAnUntrackedViewWithATargetSaysItIsRefreshedOnATimer() {
        api.post(MATVIEWS, "{\"viewName\":\"leaderboard\",\"changeTracking\":true,\"targetLagMs\":60000}");
        api.post(MATVIEWS + "/public.leaderboard/refresh");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        JsonNode freshness = api.get(MATVIEWS + "/public.leaderboard").json().get("freshness");
        assertThat(Fields.of(freshness)).containsExactly("state", "behindSince", "reason", "lagMs", "nextRefreshAt");
        assertThat(freshness.get("state").asText()).isEqualTo("behind");
        assertThat(freshness.get("lagMs").asLong()).isBetween(0L, 60_000L);
        assertThat(freshness.get("nextRefreshAt").isNull()).as("no job runner has planned it").isTrue();

        api.patch(MATVIEWS + "/public.leaderboard", "{\"changeTracking\":false}");
        JsonNode untracked = api.get(MATVIEWS + "/public.leaderboard").json().get("freshness");
        assertThat(untracked.get("state").asText()).isEqualTo("unknown");
        assertThat(untracked.get("reason").asText()).contains("age-based");
        assertThat(untracked.get("lagMs").asLong()).isGreaterThanOrEqualTo(0);
    }
}
