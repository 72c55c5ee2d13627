package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keyset paging: nextCursor and ?after= visit every row exactly once, in order, across refreshes too. */
class CollectionCursorApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Logger LOG = LoggerFactory.getLogger(CollectionCursorApiTest.class);

    private CollectionsApi api;

    @BeforeEach
    void start() {
        CollectionSchema.create(PG);
        api = CollectionsApi.start(PG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** What a front end does: follow nextCursor until it is null. Returns the ids in the order served. */
    private List<String> pageThrough(String view, String idField, String... params) {
        return pageThrough(view, idField, null, 1, params);
    }

    private List<String> pageThrough(String view, String idField, String cursor, int firstPage, String... params) {
        List<String> ids = new ArrayList<>();
        int expectedPage = firstPage;
        do {
            List<String> request = new ArrayList<>(Arrays.asList(params));
            if (cursor != null) {
                request.addAll(List.of("after", cursor));
            }
            Reply reply = api.get(view, request.toArray(String[]::new));
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.json().get("page").asInt()).isEqualTo(expectedPage++);
            reply.json().get("items").forEach(item -> ids.add(item.get(idField).asText()));
            cursor = reply.json().get("nextCursor").isNull() ? null : reply.json().get("nextCursor").asText();
        } while (cursor != null);
        return ids;
    }

    private static List<String> column(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return values;
    }

    private static List<String> range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.toList());
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFetchLoopFollowingNextCursorVisitsEveryRowOnceInOrder() {
        List<String> ids = pageThrough("scores", "id", "perPage", "50");
        // Timed a second time, warm, for the log: a rough figure for a 50-row page over HTTP, count included.
        long started = System.nanoTime();
        pageThrough("scores", "id", "perPage", "50");
        long perRequestMicros = (System.nanoTime() - started) / 1000 / (CollectionSchema.PLAYERS / 50);

        assertThat(ids).isEqualTo(range(1, CollectionSchema.PLAYERS));
        LOG.info("Paged through {} rows of public.scores by cursor, 50 per page: {} µs per request on average",
                CollectionSchema.PLAYERS, perRequestMicros);
    }

    @Test
    void theCursorOfAPageByNumberContinuesWithTheNextPage() {
        JsonNode third = api.get("scores", "perPage", "10", "page", "3").json();

        JsonNode fourth = api.get("scores", "perPage", "10", "after", third.get("nextCursor").asText()).json();

        assertThat(fourth.get("page").asInt()).isEqualTo(4);
        assertThat(fourth.get("items").get(0).get("id").asInt()).isEqualTo(31);
        assertThat(fourth.get("totalItems").asInt()).isEqualTo(CollectionSchema.PLAYERS);
    }

    @Test
    void aCursorUnderASortWithTiesNullsAndMixedDirectionsVisitsEveryRowOnce() {
        List<String> ids = pageThrough("scores", "id", "sort", "-points,team", "perPage", "97", "fields", "id");

        assertThat(ids).isEqualTo(column("SELECT id FROM scores ORDER BY points DESC, team ASC, id ASC"));
    }

    @Test
    void aCursorOverAUniqueKeyWithNullsVisitsEveryRowOnce() {
        // A unique index allows NULLs; every (a, b) here is distinct, NULLs included.
        PG.execute("CREATE MATERIALIZED VIEW pairs AS SELECT row_number() OVER () AS n, a, b FROM"
                        + " (VALUES (1, NULL), (1, 2), (1, 1), (NULL, 1), (NULL, 2), (2, NULL), (2, 1), (NULL, NULL),"
                        + " (3, 3), (0, NULL)) AS t(a, b)",
                "CREATE UNIQUE INDEX pairs_ab ON pairs (a, b)",
                "CREATE MATERIALIZED VIEW pairs_desc AS SELECT * FROM pairs",
                "CREATE UNIQUE INDEX pairs_desc_ab ON pairs_desc (a DESC, b)");

        for (String perPage : List.of("1", "2", "3")) {
            assertThat(pageThrough("pairs", "n", "perPage", perPage))
                    .isEqualTo(column("SELECT n FROM pairs ORDER BY a, b"));
            assertThat(pageThrough("pairs_desc", "n", "perPage", perPage))
                    .isEqualTo(column("SELECT n FROM pairs_desc ORDER BY a DESC, b"));
            assertThat(pageThrough("pairs", "n", "perPage", perPage, "sort", "-b"))
                    .isEqualTo(column("SELECT n FROM pairs ORDER BY b DESC, a"));
        }
    }

    @Test
    void aCursorContinuesFromTheSameKeyAfterARefreshChangedTheRows() {
        api.registerAndRefresh("public.scores", RefreshMode.CONCURRENT);
        JsonNode first = api.get("scores", "perPage", "100").json();
        PG.execute("DELETE FROM players WHERE id BETWEEN 101 AND 110",
                "INSERT INTO players SELECT g, 'late ' || g, 1, NULL FROM generate_series(3001, 3010) g");
        api.matviews().refreshes().refresh("public.scores");

        JsonNode second = api.get("scores", "perPage", "100", "after", first.get("nextCursor").asText()).json();
        List<String> rest = pageThrough("scores", "id", first.get("nextCursor").asText(), 2, "perPage", "100");

        assertThat(second.get("page").asInt()).isEqualTo(2);
        assertThat(second.get("items").get(0).get("id").asInt()).isEqualTo(111);
        assertThat(second.get("totalItems").asInt()).isEqualTo(CollectionSchema.PLAYERS);
        assertThat(rest).isEqualTo(column("SELECT id FROM scores WHERE id > 100 ORDER BY id"));
        assertThat(rest).contains("3010").doesNotContain("105");
    }

    @Test
    void aCursorAtTheEndOfTheViewLeadsToAnEmptyPage() {
        String last = api.get("scores", "perPage", "10", "page", String.valueOf(CollectionSchema.PLAYERS / 10 - 1))
                .json().get("nextCursor").asText();
        PG.execute("DELETE FROM players WHERE id > 2990");
        PG.execute("REFRESH MATERIALIZED VIEW scores");

        JsonNode page = api.get("scores", "perPage", "10", "after", last).json();

        assertThat(page.get("items")).isEmpty();
        assertThat(page.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void aCursorMadeForAnotherSortIsA400() {
        String cursor = api.get("scores", "sort", "-points", "perPage", "5").json().get("nextCursor").asText();

        Reply reply = api.get("scores", "perPage", "5", "after", cursor);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_cursor");
        assertThat(reply.message()).isEqualTo("after: the cursor belongs to another sort order;"
                + " send the same sort as the request that returned it");
    }

    @Test
    void aMalformedOrTamperedCursorIsA400() {
        for (String cursor : List.of("garbage!", "e30", base64("[]"), base64("{\"o\":\"+id\",\"k\":[1],\"p\":2}"),
                base64("{\"o\":\"+id\",\"k\":[\"1\"],\"p\":0}"), base64("{\"o\":\"+id\",\"k\":[\"1\",\"2\"],\"p\":2}"),
                base64("{\"o\":\"+id\",\"k\":[\"1\"],\"p\":2,\"x\":1}"), base64("{\"o\":\"+id\",\"o\":\"+id\"}"),
                "x".repeat(4097))) {
            Reply reply = api.get("scores", "after", cursor);

            assertThat(reply.status()).as(cursor).isEqualTo(400);
            assertThat(reply.error()).as(cursor).isEqualTo("invalid_cursor");
        }
    }

    @Test
    void aCursorWhoseKeyDoesNotFitTheColumnIsA400AndRunsNothing() {
        Reply reply = api.get("scores", "after", base64("{\"o\":\"+id\",\"k\":[\"1; DROP TABLE sentinel\"],\"p\":2}"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_value");
        assertThat(PG.queryLong("SELECT count(*) FROM sentinel")).isEqualTo(CollectionSchema.SENTINEL_ROWS);
    }

    @Test
    void pageCannotBeCombinedWithAfter() {
        String cursor = api.get("scores", "perPage", "5").json().get("nextCursor").asText();

        Reply reply = api.get("scores", "perPage", "5", "page", "2", "after", cursor);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("page cannot be combined with after: the cursor knows its page");
    }

    @Test
    void aViewWithoutAUniqueIndexCannotBePagedByCursor() {
        String cursor = base64("{\"o\":\"+id\",\"k\":[\"1\"],\"p\":2}");

        Reply reply = api.get("unindexed", "after", cursor);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("after: public.unindexed has no usable unique index, so it cannot be"
                + " paged by cursor; use page");
    }
}
