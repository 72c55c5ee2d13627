package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reading a view's rows: the list shape, paging, sorting, fields, totals, type mapping, what is not served. */
class CollectionReadApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static CollectionsApi api;

    @BeforeAll
    static void start() {
        CollectionSchema.create(PG);
        api = CollectionsApi.start(PG);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<Integer> ids(Reply reply) {
        List<Integer> ids = new ArrayList<>();
        reply.json().get("items").forEach(item -> ids.add(item.get("id").asInt()));
        return ids;
    }

    private static JsonNode exact(Reply reply) throws Exception {
        return EXACT.readTree(reply.body());
    }

    @Test
    void theSeedsLeaderboardIsServedInTheOriginalsListShape() {
        Reply reply = api.get("leaderboard");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(Fields.of(reply.json()))
                .containsExactly("page", "perPage", "totalItems", "totalPages", "items", "nextCursor");
        assertThat(reply.json().get("page").asInt()).isEqualTo(1);
        assertThat(reply.json().get("perPage").asInt()).isEqualTo(20);
        assertThat(reply.json().get("totalItems").asInt()).isEqualTo(2);
        assertThat(reply.json().get("totalPages").asInt()).isEqualTo(1);
        assertThat(reply.json().get("nextCursor").isNull()).isTrue();
        JsonNode ann = reply.json().get("items").get(0);
        assertThat(Fields.of(ann)).containsExactly("id", "name", "workout_count", "total_minutes");
        assertThat(ann.get("id").isIntegralNumber()).isTrue();
        assertThat(ann.get("name").asText()).isEqualTo("ann");
        assertThat(ann.get("workout_count").asInt()).isEqualTo(2);
        assertThat(ann.get("total_minutes").asInt()).isEqualTo(75);
    }

    @Test
    void bySchemaDotNameTheSameViewIsServed() {
        assertThat(api.get("public.leaderboard").body()).isEqualTo(api.get("leaderboard").body());
    }

    @Test
    void withoutSortRowsComeInTheUniqueIndexsOrderSoPagesAreStable() {
        Reply first = api.get("scores", "perPage", "5");
        Reply third = api.get("scores", "perPage", "5", "page", "3");

        assertThat(ids(first)).containsExactly(1, 2, 3, 4, 5);
        assertThat(ids(third)).containsExactly(11, 12, 13, 14, 15);
        assertThat(third.json().get("page").asInt()).isEqualTo(3);
        assertThat(third.json().get("totalItems").asInt()).isEqualTo(CollectionSchema.PLAYERS);
        assertThat(third.json().get("totalPages").asInt()).isEqualTo(CollectionSchema.PLAYERS / 5);
    }

    @Test
    void aPageBeyondTheEndIsEmptyButKeepsTheTotals() {
        Reply reply = api.get("scores", "perPage", "500", "page", "7");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("items")).isEmpty();
        assertThat(reply.json().get("totalItems").asInt()).isEqualTo(CollectionSchema.PLAYERS);
        assertThat(reply.json().get("totalPages").asInt()).isEqualTo(6);
        assertThat(reply.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void perPageIsCappedAt500() {
        assertThat(api.get("scores", "perPage", "500").json().get("items")).hasSize(500);
        Reply tooMany = api.get("scores", "perPage", "501");

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.message()).isEqualTo("perPage must be an integer between 1 and 500, not 501");
    }

    @Test
    void sortOrdersByTheNamedColumnsAndBreaksTiesByTheUniqueKey() {
        Reply reply = api.get("scores", "sort", "-points,name", "perPage", "50");

        List<JsonNode> items = new ArrayList<>();
        reply.json().get("items").forEach(items::add);
        assertThat(items).hasSize(50);
        for (int i = 1; i < items.size(); i++) {
            int before = items.get(i - 1).get("points").asInt();
            int after = items.get(i).get("points").asInt();
            assertThat(before).isGreaterThanOrEqualTo(after);
            if (before == after) {
                assertThat(items.get(i - 1).get("name").asText()).isLessThan(items.get(i).get("name").asText());
            }
        }
        assertThat(items.get(0).get("points").asInt()).isEqualTo(99);
    }

    @Test
    void sortAscendingWithPlusOrNothingAndNullsLastAsPostgresqlOrdersThem() {
        Reply plus = api.get("scores", "sort", "+team,id", "perPage", "500", "page", "6");
        Reply bare = api.get("scores", "sort", "team,id", "perPage", "500", "page", "6");

        assertThat(plus.body()).isEqualTo(bare.body());
        JsonNode items = plus.json().get("items");
        assertThat(items.get(items.size() - 1).get("team").isNull()).isTrue();
    }

    @Test
    void fieldsChoosesAndOrdersTheColumnsReturned() {
        Reply reply = api.get("scores", "fields", "points, id", "perPage", "1");

        assertThat(Fields.of(reply.json().get("items").get(0))).containsExactly("points", "id");
    }

    @Test
    void skipTotalAnswersMinusOneTotalsWithoutCounting() {
        Reply reply = api.get("scores", "skipTotal", "true", "perPage", "10", "page", "2");

        assertThat(reply.json().get("totalItems").asInt()).isEqualTo(-1);
        assertThat(reply.json().get("totalPages").asInt()).isEqualTo(-1);
        assertThat(ids(reply)).containsExactly(11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
    }

    @Test
    void numericsKeepEveryDigitAndOtherTypesMapNaturallyToJson() throws Exception {
        Reply reply = api.get("typed", "filter", "id = 1");
        JsonNode row = exact(reply).get("items").get(0);

        assertThat(reply.body()).contains("\"amount\":" + CollectionSchema.BIG_NUMERIC + ",");
        assertThat(row.get("amount").decimalValue()).isEqualByComparingTo(new BigDecimal(CollectionSchema.BIG_NUMERIC));
        assertThat(reply.body()).contains("\"small\":-0.50000000000000000000");
        assertThat(row.get("doc").get("a").get(1).decimalValue()).isEqualByComparingTo("2.50");
        assertThat(reply.body()).contains("\"big\": 123456789012345678901234567890");
        assertThat(row.get("raw_json").get(1).asText()).isEqualTo("x");
        assertThat(row.get("ints").toString()).isEqualTo("[1,2,3]");
        assertThat(row.get("grid").get(1).get(1).decimalValue()).isEqualByComparingTo("4.125");
        assertThat(row.get("texts").get(1).isNull()).isTrue();
        assertThat(row.get("at").asText()).isEqualTo("2026-02-22T08:00:00.123Z");
        assertThat(row.get("local_at").asText()).isEqualTo("2026-02-22T10:00:00");
        assertThat(row.get("day").asText()).isEqualTo("2026-02-22");
        assertThat(row.get("flag").isBoolean()).isTrue();
        assertThat(row.get("label").asText()).isEqualTo("text \"quoted\"");
        assertThat(reply.body()).contains("\"ratio\":1.5,").contains("\"fraction\":0.1,");
        assertThat(row.get("not_a_number").asText()).isEqualTo("NaN");
        assertThat(row.get("numeric_nan").asText()).isEqualTo("NaN");
        assertThat(row.get("uid").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        assertThat(reply.body()).contains("\"biggest\":9223372036854775807");
        assertThat(row.get("forever").asText()).isEqualTo("infinity");
    }

    @Test
    void sqlNullIsJsonNullInEveryType() {
        JsonNode row = api.get("typed", "filter", "id = 2").json().get("items").get(0);

        assertThat(Fields.of(row)).hasSize(20);
        for (String field : Fields.of(row)) {
            if (!field.equals("id")) {
                assertThat(row.get(field).isNull()).as(field).isTrue();
            }
        }
    }

    @Test
    void sortingByATypeWithoutAnOrderIsA400() {
        Reply reply = api.get("typed", "sort", "raw_json");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("unsupported_operation");
        assertThat(reply.message()).endsWith("could not identify an ordering operator for type json");
    }

    @Test
    void tablesPlainViewsAndMissingViewsAnswer404() {
        for (String name : List.of("users", "public.users", "plain_view", "nothing", "other.leaderboard",
                "Leaderboard", "pg_catalog.pg_class", "pg_catalog.pg_authid", "information_schema.tables",
                "ayb.matview_registrations")) {
            Reply reply = api.get(name);

            assertThat(reply.status()).as(name).isEqualTo(404);
            assertThat(reply.message()).isEqualTo("materialized view not found in database");
            assertThat(reply.error()).isEqualTo("view_not_found");
        }
    }

    @Test
    void aNameThatIsNotAnIdentifierAnswers400() {
        Reply reply = api.get("bad-name");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("invalid identifier: \"bad-name\"");
        assertThat(api.get("public.leaderboard.x").status()).isEqualTo(400);
    }

    @Test
    void anUnpopulatedViewAnswers503WithRetryAfterAndAClearMessage() {
        Reply reply = api.get("not_yet");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).isEqualTo("{\"code\":503,\"message\":\"materialized view public.not_yet has not been"
                + " populated yet; refresh it first\",\"error\":\"view_not_populated\"}");
        assertThat(reply.header("Retry-After")).isEqualTo("60");
    }

    @Test
    void aViewWithoutAUniqueIndexIsServedWithoutCursors() {
        Reply reply = api.get("unindexed", "sort", "name");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(Fields.of(reply.json())).doesNotContain("nextCursor");
        assertThat(reply.json().get("items").get(0).get("name").asText()).isEqualTo("ann");
    }

    @Test
    void headAnswersTheGetHeadersWithoutABody() {
        Reply get = api.get("scores", "perPage", "3");
        Reply head = api.head("scores", "perPage", "3");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.body().length()));
        assertThat(head.header("Content-Type")).isEqualTo(get.header("Content-Type"));
        assertThat(api.head("not_yet").status()).isEqualTo(503);
        assertThat(api.head("users").status()).isEqualTo(404);
    }

    @Test
    void subPathsOfACollectionAndTheCollectionListAnswer404() {
        assertThat(api.getRaw("/api/collections/leaderboard/records/1").status()).isEqualTo(404);
        assertThat(api.getRaw("/api/collections").status()).isEqualTo(404);
    }

    @Test
    void answersAreRevalidatedByClientsNotStoredByThemNeverOrShared() {
        Reply reply = api.get("leaderboard");

        assertThat(reply.header("Cache-Control")).isEqualTo("private, no-cache");
        assertThat(reply.header("Vary")).isEqualTo("Accept");
        assertThat(api.get("users").header("Cache-Control")).isEqualTo("no-store");
    }
}
