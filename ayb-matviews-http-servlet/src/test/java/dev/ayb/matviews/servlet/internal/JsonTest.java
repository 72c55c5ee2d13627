package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.json.WireJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final UUID ID = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final Instant CREATED = Instant.parse("2026-02-22T08:00:00Z");
    private static final Instant REFRESHED = Instant.parse("2026-02-22T10:00:00Z");

    private static String text(JsonNode json) {
        return new String(Json.write(json), StandardCharsets.UTF_8);
    }

    @Test
    void aNeverRefreshedRegistrationWritesEverySeedFieldInOrderWithNulls() {
        Registration registration = new Registration(ID, "public", "leaderboard", RefreshMode.STANDARD,
                RefreshTimeouts.NONE, null, null, null, null, CREATED, CREATED);

        assertThat(text(WireJson.registration(registration))).isEqualTo("{\"id\":\"550e8400-e29b-41d4-a716-446655440000\","
                + "\"schemaName\":\"public\",\"viewName\":\"leaderboard\",\"refreshMode\":\"standard\","
                + "\"lastRefreshAt\":null,\"lastRefreshDurationMs\":null,\"lastRefreshStatus\":null,"
                + "\"lastRefreshError\":null,\"createdAt\":\"2026-02-22T08:00:00Z\",\"updatedAt\":\"2026-02-22T08:00:00Z\"}");
    }

    @Test
    void aRefreshResultMatchesTheSeedsExampleResponse() {
        Registration registration = new Registration(ID, "public", "leaderboard", RefreshMode.STANDARD,
                RefreshTimeouts.NONE, REFRESHED, 342L, RefreshStatus.SUCCESS, null, CREATED, REFRESHED);

        assertThat(text(WireJson.refreshResult(new RefreshResult(registration, 342)))).isEqualTo("{\"registration\":{"
                + "\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"schemaName\":\"public\",\"viewName\":\"leaderboard\","
                + "\"refreshMode\":\"standard\",\"lastRefreshAt\":\"2026-02-22T10:00:00Z\",\"lastRefreshDurationMs\":342,"
                + "\"lastRefreshStatus\":\"success\",\"lastRefreshError\":null,\"createdAt\":\"2026-02-22T08:00:00Z\","
                + "\"updatedAt\":\"2026-02-22T10:00:00Z\"},\"durationMs\":342}");
    }

    @Test
    void perViewTimeoutsAreWrittenOnlyWhenSet() {
        Registration onlyLock = new Registration(ID, "public", "leaderboard", RefreshMode.CONCURRENT,
                new RefreshTimeouts(Duration.ofSeconds(2), null), null, null, null, null, CREATED, CREATED);

        assertThat(text(WireJson.registration(onlyLock)))
                .endsWith("\"updatedAt\":\"2026-02-22T08:00:00Z\",\"lockTimeoutMs\":2000}")
                .doesNotContain("statementTimeoutMs");
    }

    @Test
    void aRunWritesItsFieldsInOrder() {
        RefreshRun run = new RefreshRun(7, ID, "public", "leaderboard", RefreshMode.CONCURRENT, RefreshTrigger.HTTP,
                CREATED, REFRESHED, 12, RefreshStatus.ERROR, "refresh of public.leaderboard failed: boom", "XX000");

        assertThat(text(WireJson.refreshRun(run))).isEqualTo("{\"id\":7,\"registrationId\":\"" + ID + "\","
                + "\"schemaName\":\"public\",\"viewName\":\"leaderboard\",\"refreshMode\":\"concurrent\",\"trigger\":\"http\","
                + "\"startedAt\":\"2026-02-22T08:00:00Z\",\"finishedAt\":\"2026-02-22T10:00:00Z\",\"durationMs\":12,"
                + "\"status\":\"error\",\"error\":\"refresh of public.leaderboard failed: boom\",\"sqlState\":\"XX000\"}");
    }

    @Test
    void aListWrapsItsItemsWithTheirCount() {
        DiscoveredView view = new DiscoveredView("public", "leaderboard", true, false, null);

        assertThat(text(Json.list(List.of(view), WireJson::discoveredView))).isEqualTo("{\"items\":[{\"schemaName\":\"public\","
                + "\"viewName\":\"leaderboard\",\"populated\":true,\"hasUniqueIndex\":false,\"registered\":false,"
                + "\"registrationId\":null,\"concurrentRefreshBlocker\":"
                + "\"concurrent refresh requires a unique index on the materialized view\"}],\"count\":1}");
    }

    @Test
    void anErrorHasTheOriginalsFieldsAndAStableName() {
        assertThat(text(Json.error(409, "refresh_in_progress", "refresh already in progress")))
                .isEqualTo("{\"code\":409,\"message\":\"refresh already in progress\",\"error\":\"refresh_in_progress\"}");
    }

    @Test
    void onlyASingleJsonObjectIsAcceptedAsARequestBody() {
        assertThat(Json.parseObject("{\"viewName\": \"leaderboard\"}".getBytes(StandardCharsets.UTF_8))
                .get("viewName").asText()).isEqualTo("leaderboard");
        for (String body : new String[] {"", " ", "[]", "1", "null", "{} {}", "{\"a\":1,\"a\":2}", "{'a':1}"}) {
            assertThatThrownBy(() -> Json.parseObject(body.getBytes(StandardCharsets.UTF_8))).as(body)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("invalid JSON body");
                    });
        }
    }
}
