package dev.ayb.matviews.servlet.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Adversarial text in every part of {@code GET /api/collections/{name}} — the name, {@code page}, {@code perPage},
 * {@code sort}, {@code fields}, {@code filter}, {@code skipTotal}, {@code after}, {@code format} — raw, and
 * embedded in otherwise valid syntax (a filter's string literal, a sort key, a column list, a forged cursor's
 * key). For every input at every door: never a 5xx; a refusal is a 4xx with a clear message; a 200 is a
 * well-formed page (and a filter on a hostile literal matches nothing); the input never in a statement's text;
 * the sentinel table and every relation untouched.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class HostileCollectionsInputTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final String SCORES = "/api/collections/scores";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordingDataSource recorder;
    private Api api;

    @BeforeEach
    void start() {
        PG.execute("DROP SCHEMA IF EXISTS ayb CASCADE", "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public",
                "CREATE TABLE players (id int PRIMARY KEY, name text NOT NULL, points int NOT NULL, team text,"
                        + " joined timestamptz NOT NULL)",
                "INSERT INTO players SELECT g, 'player ' || g, (g * 37) % 100,"
                        + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'team ' || (g % 3) END,"
                        + " timestamptz '2026-01-01 00:00+00' + g * interval '1 hour' FROM generate_series(1, 200) g",
                "CREATE MATERIALIZED VIEW scores AS SELECT id, name, points, team, joined FROM players",
                "CREATE UNIQUE INDEX scores_id_idx ON scores (id)");
        SampleSchema.createSentinel(PG);
        recorder = new RecordingDataSource(HYGIENE.pool("hostile-collections", 3));
        api = Api.start(AybMatviews.builder().dataSource(recorder).build());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void hostileTextInEveryCollectionsParameterIsRefusedWithA4xxOrReadAsALiteral() {
        String before = DatabaseState.fingerprint(PG);
        ObjectNode cursor = realCursor();
        List<Door> doors = List.of(
                Door.accepting("{name}", (api, x) -> get(api, "/api/collections/" + Door.segment(x))).inPath(),
                Door.accepting("HEAD {name}", (api, x) -> api.request("/api/collections/" + Door.segment(x))
                        .method("HEAD", BodyPublishers.noBody()).build()).inPath(),
                Door.accepting("page", (api, x) -> get(api, SCORES + "?page=" + Api.encode(x))),
                Door.accepting("perPage", (api, x) -> get(api, SCORES + "?perPage=" + Api.encode(x))),
                Door.accepting("sort", (api, x) -> get(api, SCORES + "?sort=" + Api.encode(x))),
                Door.accepting("sort, embedded", (api, x) -> get(api, SCORES + "?sort=" + Api.encode("-points," + x))),
                Door.accepting("fields", (api, x) -> get(api, SCORES + "?fields=" + Api.encode(x))),
                Door.accepting("fields, embedded", (api, x) -> get(api, SCORES + "?fields=" + Api.encode("id," + x))),
                Door.accepting("filter", (api, x) -> get(api, SCORES + "?filter=" + Api.encode(x))),
                Door.accepting("filter, a string literal", (api, x) -> get(api, SCORES + "?filter="
                        + Api.encode("name = '" + literal(x, '\'') + "'")), HostileCollectionsInputTest::noRows),
                Door.accepting("filter, a double-quoted literal compared to a number", (api, x) -> get(api,
                        SCORES + "?filter=" + Api.encode("points = \"" + literal(x, '"') + "\"")),
                        HostileCollectionsInputTest::noRows),
                Door.accepting("filter, a like pattern", (api, x) -> get(api, SCORES + "?filter="
                        + Api.encode("team ~ '" + literal(x, '\'') + "' && id > 0"))),
                Door.accepting("filter, a timestamp literal", (api, x) -> get(api, SCORES + "?filter="
                        + Api.encode("joined >= '" + literal(x, '\'') + "'"))),
                Door.accepting("filter, an IN list", (api, x) -> get(api, SCORES + "?filter="
                        + Api.encode("id IN (1, '" + literal(x, '\'') + "')"))),
                Door.accepting("filter, the column", (api, x) -> get(api, SCORES + "?filter="
                        + Api.encode(x + " = 1"))),
                Door.accepting("skipTotal", (api, x) -> get(api, SCORES + "?skipTotal=" + Api.encode(x))),
                Door.accepting("after", (api, x) -> get(api, SCORES + "?after=" + Api.encode(x))),
                Door.accepting("after, a forged key", (api, x) -> get(api, SCORES + "?after=" + forged(cursor, x))),
                Door.accepting("format", (api, x) -> get(api, SCORES + "?format=" + Api.encode(x))));

        List<String> violations = Door.probe(api, recorder, new HostileStrings(HostileStrings.seed() + 2)
                .inputs(HostileStrings.tries(100)), doors, HostileCollectionsInputTest::wellFormedPage);

        assertThat(violations).as("%d violations", violations.size()).isEmpty();
        assertThat(DatabaseState.fingerprint(PG)).isEqualTo(before);
    }

    private static HttpRequest get(Api api, String pathAndQuery) {
        return api.request(pathAndQuery).GET().build();
    }

    /** The text as the filter language's string literal between {@code quote}s: backslash escapes. */
    private static String literal(String text, char quote) {
        return text.replace("\\", "\\\\").replace(String.valueOf(quote), "\\" + quote);
    }

    /** A 200 is a page of the API's shape (or CSV, or HEAD's empty body). */
    private static String wellFormedPage(Reply reply) {
        if (reply.status() != 200 || !reply.isJson() || reply.body().isEmpty()) {
            return null;
        }
        JsonNode page = reply.json();
        return page.path("items").isArray() && page.path("page").isInt() && page.path("perPage").isInt() ? null
                : "not a page: " + reply;
    }

    /**
     * A filter comparing a column with the hostile text as a literal matches no row: it is a value, not SQL.
     * (A number is a legitimate value of {@code points}, and may match.)
     */
    private static String noRows(String input, Reply reply) {
        if (input.strip().matches("-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?")) {
            return null;
        }
        return reply.isJson() && reply.json().path("items").size() > 0 ? "a hostile literal matched rows" : null;
    }

    /** The cursor the API gives for page 2, sorted by points, to forge keys into. */
    private ObjectNode realCursor() {
        Reply first = api.get(SCORES + "?sort=-points&perPage=2");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        try {
            String next = first.json().path("nextCursor").asText();
            return (ObjectNode) MAPPER.readTree(Base64.getUrlDecoder().decode(next));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real cursor with its first key replaced by the hostile text, encoded as the API encodes cursors. */
    private static String forged(ObjectNode cursor, String key) {
        ObjectNode copy = cursor.deepCopy();
        copy.withArray("k").set(0, copy.textNode(key));
        try {
            byte[] json = MAPPER.writeValueAsString(copy).getBytes(StandardCharsets.UTF_8);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json) + "&sort=-points";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
