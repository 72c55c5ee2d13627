package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/admin/matviews} with {@code page}, {@code perPage}, {@code filter} and {@code sort}: the
 * collections API's page shape, a filter on the name or the mode or status word (wildcards taken literally),
 * and 400 for values out of range. Without them the full list is unchanged.
 */
class MatviewListPagingApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String MATVIEWS = "/api/admin/matviews";

    private AdminApi api;

    @BeforeEach
    void start() {
        // Five views: a_1 and ab1 tell a literal '_' from LIKE's wildcard.
        SampleSchema.create(PG);
        PG.execute("DROP SCHEMA IF EXISTS paging CASCADE; CREATE SCHEMA paging;"
                + " CREATE MATERIALIZED VIEW paging.a_1 AS SELECT 1 AS n;"
                + " CREATE MATERIALIZED VIEW paging.ab1 AS SELECT 1 AS n;"
                + " CREATE MATERIALIZED VIEW paging.pct AS SELECT 1 AS n;"
                + " CREATE MATERIALIZED VIEW paging.zeta AS SELECT 1 AS n;"
                + " CREATE MATERIALIZED VIEW paging.omega AS SELECT 1 AS n;");
        api = AdminApi.start(PG);
        for (String view : List.of("a_1", "ab1", "pct", "zeta", "omega")) {
            Reply registered = api.post(MATVIEWS, "{\"schema\":\"paging\",\"viewName\":\"" + view + "\"}");
            assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        }
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void withoutParametersTheFullListIsUnchanged() {
        JsonNode all = api.get(MATVIEWS).json();
        assertThat(Fields.of(all)).containsExactly("items", "count");
        assertThat(all.get("count").asInt()).isEqualTo(5);
    }

    @Test
    void aPageHasTheCollectionsShapeAndCountsWhatMatched() {
        JsonNode first = api.get(MATVIEWS + "?page=1&perPage=2").json();
        assertThat(Fields.of(first)).containsExactly("page", "perPage", "totalItems", "totalPages", "items");
        assertThat(first.get("totalItems").asLong()).isEqualTo(5);
        assertThat(first.get("totalPages").asLong()).isEqualTo(3);
        assertThat(names(first)).containsExactly("a_1", "ab1");
        assertThat(Fields.of(first.get("items").get(0))).containsExactlyElementsOf(Fields.REGISTRATION);

        assertThat(names(api.get(MATVIEWS + "?page=3&perPage=2").json())).containsExactly("zeta");
        JsonNode beyond = api.get(MATVIEWS + "?page=9&perPage=2").json();
        assertThat(beyond.get("items")).isEmpty();
        assertThat(beyond.get("totalItems").asLong()).isEqualTo(5);
    }

    @Test
    void theFilterMatchesNamesLiterallyAndModeOrStatusWords() {
        assertThat(names(api.get(MATVIEWS + "?filter=" + encode("A_")).json())).containsExactly("a_1");
        assertThat(api.get(MATVIEWS + "?filter=" + encode("%")).json().get("totalItems").asLong()).isZero();
        assertThat(names(api.get(MATVIEWS + "?filter=" + encode("paging.ze")).json())).containsExactly("zeta");
        assertThat(api.get(MATVIEWS + "?filter=standard").json().get("totalItems").asLong()).isEqualTo(5);

        api.post(MATVIEWS + "/paging.omega/refresh");
        assertThat(names(api.get(MATVIEWS + "?filter=success").json())).containsExactly("omega");
        assertThat(api.get(MATVIEWS + "?filter=never").json().get("totalItems").asLong()).isEqualTo(4);
        JsonNode none = api.get(MATVIEWS + "?filter=" + encode("'; DROP TABLE x; --")).json();
        assertThat(none.get("totalItems").asLong()).isZero();
        assertThat(none.get("totalPages").asLong()).isZero();
    }

    @Test
    void theSortPicksAKnownFieldAndDirection() {
        assertThat(names(api.get(MATVIEWS + "?sort=-viewName").json()))
                .containsExactly("zeta", "pct", "omega", "ab1", "a_1");
        api.post(MATVIEWS + "/paging.zeta/refresh");
        assertThat(names(api.get(MATVIEWS + "?sort=-lastRefreshAt&perPage=1").json())).containsExactly("zeta");
    }

    @Test
    void valuesOutOfRangeAreRefusedWithTheParameterNamed() {
        assertRefused("?page=0", "page must be an integer between 1 and 2147483647");
        assertRefused("?page=x", "page must be an integer between 1 and 2147483647");
        assertRefused("?perPage=501", "perPage must be an integer between 1 and 500");
        assertRefused("?perPage=-1", "perPage must be an integer between 1 and 500");
        assertRefused("?filter=" + "x".repeat(201), "filter must be at most 200 characters");
        assertRefused("?sort=id", "sort must be one of schemaName, viewName");
    }

    private void assertRefused(String query, String message) {
        Reply reply = api.get(MATVIEWS + query);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.message()).startsWith(message);
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(item -> names.add(item.get("viewName").asText()));
        return names;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
