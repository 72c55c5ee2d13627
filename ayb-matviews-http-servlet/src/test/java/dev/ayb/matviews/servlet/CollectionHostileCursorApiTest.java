package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.servlet.EveryTypeView.Column;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cursors a client can send, made from real ones by mutation: cut short, bit-flipped, replaced by base64
 * garbage, made for another sort or another view, their page or keys replaced by extreme numbers, values of
 * the wrong type, nested past PostgreSQL's limits or huge. Each is asked under the sort of the view with a
 * column of every type ({@link EveryTypeView}) it was made for, so every type's input rules see the keys.
 * A cursor that cannot be valid answers 400 with the error body; one that may still name a position (a
 * flipped bit can change a key into another valid key) answers a page or a 400. Never anything else.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class CollectionHostileCursorApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long SEED = HostileStrings.seed();
    private static final Set<String> CURSOR_ERRORS = Set.of("invalid_cursor", "invalid_value");

    private static CollectionsApi api;

    @BeforeAll
    static void start() {
        EveryTypeView.create(PG, SEED);
        PG.execute("CREATE MATERIALIZED VIEW other_view AS SELECT 'k' || g AS id FROM generate_series(1, 10) g",
                "CREATE UNIQUE INDEX other_view_id ON other_view (id)");
        api = CollectionsApi.start(PG);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** A real cursor and the sort it was made for. */
    private record Issued(String sort, String cursor) {
        ObjectNode json() {
            try {
                return (ObjectNode) MAPPER.readTree(Base64.getUrlDecoder().decode(cursor));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The next cursor of the first page, 3 rows, for every column PostgreSQL can order: ascending, and also
     * descending with {@code bothWays} (the keys are the same type either way, the conditions differ).
     */
    private static List<Issued> issuedCursors(boolean bothWays) {
        List<Issued> issued = new ArrayList<>();
        for (Column column : EveryTypeView.COLUMNS) {
            for (String sort : bothWays ? List.of(column.name(), "-" + column.name()) : List.of(column.name())) {
                Reply reply = api.get(EveryTypeView.VIEW, "sort", sort, "perPage", "3", "fields", "id");
                if (reply.status() == 200) {
                    issued.add(new Issued(sort, reply.json().get("nextCursor").asText()));
                }
            }
        }
        // Every column but json can be ordered.
        assertThat(issued).hasSize((EveryTypeView.COLUMNS.size() - 1) * (bothWays ? 2 : 1));
        return issued;
    }

    private static Reply follow(Issued issued, String cursor) {
        return api.get(EveryTypeView.VIEW, "sort", issued.sort(), "perPage", "3", "fields", "id", "after", cursor);
    }

    private static String encode(JsonNode json) {
        try {
            return encode(MAPPER.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A 400 with the error body, or (when {@code mayBeValid}) a page; anything else is a violation. */
    private static void expect(String what, Reply reply, boolean mayBeValid, List<String> violations) {
        Figures.inputs(1);
        if (reply.status() == 400) {
            JsonNode body = reply.json();
            if (body.path("code").asInt() != 400 || !CURSOR_ERRORS.contains(body.path("error").asText())
                    || !body.path("message").isTextual() || body.path("message").asText().isEmpty()) {
                violations.add(what + ": a 400 without the error body: " + reply.body());
            }
        } else if (!(mayBeValid && reply.status() == 200 && reply.json().path("items").isArray())) {
            violations.add(what + ": " + reply.status() + " " + reply.body());
        }
    }

    @Test
    void everyMutationOfARealCursorIsAnsweredWithAPageOrA400NeverAServerError() {
        List<String> violations = new ArrayList<>();

        cutShortOrReplacedByGarbage(violations);
        withTheWrongShapeOrForAnotherSortOrView(violations);
        withFlippedBitsOrExtremeOrHostileKeys(violations);

        assertThat(violations).as("seed %d: %d violations", SEED, violations.size()).isEmpty();
        assertThat(PG.queryLong("SELECT count(*) FROM every_type_rows")).isEqualTo(EveryTypeView.ROWS);
    }

    /** Cannot be valid: 400. */
    private static void cutShortOrReplacedByGarbage(List<String> violations) {
        SplittableRandom random = new SplittableRandom(SEED);
        for (Issued issued : issuedCursors(true)) {
            String cursor = issued.cursor();
            for (int i = 0; i < 4; i++) {
                int length = 1 + random.nextInt(cursor.length() - 1);
                expect(issued.sort() + " cut to " + length, follow(issued, cursor.substring(0, length)), false,
                        violations);
            }
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            expect(issued.sort() + " random bytes", follow(issued, encode(garbage)), false, violations);
            expect(issued.sort() + " not base64", follow(issued, cursor.substring(1) + "!*"), false, violations);
            expect(issued.sort() + " huge", follow(issued, cursor + "A".repeat(4096)), false, violations);
        }
    }

    /** Cannot be valid either: 400. */
    private static void withTheWrongShapeOrForAnotherSortOrView(List<String> violations) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Reply otherView = api.get("other_view", "perPage", "3");
        Issued defaultOrder = new Issued("id", api.get(EveryTypeView.VIEW, "perPage", "3").json()
                .get("nextCursor").asText());
        expect("a cursor of other_view", follow(defaultOrder, otherView.json().get("nextCursor").asText()), false,
                violations);
        List<Issued> issued = issuedCursors(false);
        for (int i = 0; i < issued.size(); i++) {
            Issued cursor = issued.get(i);
            Issued another = issued.get((i + 2) % issued.size());
            expect(cursor.sort() + " under " + another.sort(), follow(another, cursor.cursor()), false, violations);
            List<JsonNode> pages = List.of(nodes.numberNode(0), nodes.numberNode(-1), nodes.numberNode(1),
                    nodes.numberNode(2147483648L), nodes.numberNode(1e300), nodes.numberNode(2.5),
                    nodes.textNode("2"), nodes.nullNode(), nodes.booleanNode(true), nodes.arrayNode());
            for (JsonNode page : pages) {
                ObjectNode json = cursor.json();
                json.set("p", page);
                expect(cursor.sort() + " p=" + page, follow(cursor, encode(json)), false, violations);
            }
            List<JsonNode> keys = List.of(nodes.numberNode(1), nodes.numberNode(1e300), nodes.booleanNode(false),
                    nodes.objectNode(), nodes.arrayNode().add("1"));
            for (JsonNode key : keys) {
                ObjectNode json = cursor.json();
                ((ArrayNode) json.get("k")).set(0, key);
                expect(cursor.sort() + " key " + key, follow(cursor, encode(json)), false, violations);
            }
            ObjectNode fewer = cursor.json();
            ((ArrayNode) fewer.get("k")).remove(0);
            expect(cursor.sort() + " one key short", follow(cursor, encode(fewer)), false, violations);
            ObjectNode more = cursor.json();
            ((ArrayNode) more.get("k")).add("1");
            expect(cursor.sort() + " one key more", follow(cursor, encode(more)), false, violations);
            ObjectNode extra = cursor.json();
            extra.put("x", 1);
            expect(cursor.sort() + " an extra field", follow(cursor, encode(extra)), false, violations);
        }
    }

    /** May still name a position (a flipped bit can make another valid key): a page or a 400. */
    private static void withFlippedBitsOrExtremeOrHostileKeys(List<String> violations) {
        SplittableRandom random = new SplittableRandom(SEED);
        HostileStrings hostile = new HostileStrings(SEED);
        List<String> strangeKeys = new ArrayList<>(List.of("9223372036854775808", "-9223372036854775809", "1e400",
                "-1e-400", "NaN", "-Infinity", "99999999999999999999999999.99999", "", " ", "-1", "0", "32768",
                "2147483648", "now", "294277-01-01", "10.0.0.1/33", "{{{{{{{1}}}}}}}", "[".repeat(2500),
                "{\"a\":", "\u0000", "\ud800", "x".repeat(2900), "'; DROP TABLE every_type_rows; --"));
        for (int i = 0; i < HostileStrings.tries(10); i++) {
            strangeKeys.add(hostile.next().text());
        }
        for (Issued issued : issuedCursors(true)) {
            byte[] bytes = Base64.getUrlDecoder().decode(issued.cursor());
            for (int i = 0; i < 3; i++) {
                byte[] flipped = bytes.clone();
                int bit = random.nextInt(flipped.length * 8);
                flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                expect(issued.sort() + " bit " + bit + " flipped", follow(issued, encode(flipped)), true, violations);
                char[] text = issued.cursor().toCharArray();
                int at = random.nextInt(text.length);
                text[at] ^= (char) (1 << random.nextInt(7));
                expect(issued.sort() + " character " + at + " flipped", follow(issued, new String(text)), true,
                        violations);
            }
            for (String key : issued.sort().startsWith("-") ? List.<String>of() : strangeKeys) {
                ObjectNode json = issued.json();
                ((ArrayNode) json.get("k")).set(0, JsonNodeFactory.instance.textNode(key));
                expect(issued.sort() + " key " + HostileStrings.show(key), follow(issued, encode(json)), true,
                        violations);
            }
            ObjectNode lastPage = issued.json();
            lastPage.put("p", Integer.MAX_VALUE);
            expect(issued.sort() + " p=" + Integer.MAX_VALUE, follow(issued, encode(lastPage)), true, violations);
        }
    }
}
