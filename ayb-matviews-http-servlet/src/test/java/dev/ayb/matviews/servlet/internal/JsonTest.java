package dev.ayb.matviews.servlet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.json.WireJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static final UUID ID = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final Instant CREATED = Instant.parse("2026-02-22T08:00:00Z");

    private static String text(JsonNode json) {
        return new String(Json.write(json), StandardCharsets.UTF_8);
    }

    @Test
    void aListWrapsItsItemsWithTheirCount() {
        DiscoveredView view = new DiscoveredView("public", "leaderboard", true, false, null);

        assertThat(text(Json.list(List.of(view), WireJson::discoveredView))).isEqualTo("{\"items\":[{\"schemaName\":\"public\","
                + "\"viewName\":\"leaderboard\",\"populated\":true,\"hasUniqueIndex\":false,\"registered\":false,"
                + "\"registrationId\":null,\"concurrentRefreshBlocker\":"
                + "\"concurrent refresh requires a unique index on the materialized view\","
                + "\"swapRefreshBlocker\":null,\"dependants\":[],\"refreshModes\":[\"standard\",\"swap\"]}],\"count\":1}");
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

    @Test
    void nestedAndNullPayloadValuesSurviveTheRoundTrip() {
        Map<String, Object> payload = Json.toMap(Json.parseObject(
                "{\"view_name\": \"v\", \"note\": null, \"tags\": [1, \"a\"], \"opts\": {\"deep\": true}}"
                        .getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("view_name", "v");
        expected.put("note", null);
        expected.put("tags", List.of(1, "a"));
        expected.put("opts", Map.of("deep", true));

        assertThat(payload).containsExactlyEntriesOf(expected);
        Schedule schedule = new Schedule(ID, "s", "t", payload, "@daily", "UTC", false, 1, null, null,
                CREATED, CREATED);
        assertThat(text(WireJson.schedule(schedule).get("payload")))
                .isEqualTo("{\"view_name\":\"v\",\"note\":null,\"tags\":[1,\"a\"],\"opts\":{\"deep\":true}}");
    }
}
