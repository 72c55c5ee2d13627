package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every filter operator end to end against PostgreSQL, and the 400s for filters that cannot be run. */
class CollectionFilterApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

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

    /** Ids of every row of scores the filter selects (in id order). */
    private static List<Integer> ids(String filter) {
        Reply reply = api.get("scores", "filter", filter, "perPage", "500", "fields", "id");
        assertThat(reply.status()).as(filter + " → " + reply.body()).isEqualTo(200);
        List<Integer> ids = new ArrayList<>();
        reply.json().get("items").forEach(item -> ids.add(item.get("id").asInt()));
        return ids;
    }

    private static long total(String view, String filter) {
        Reply reply = api.get(view, "filter", filter);
        assertThat(reply.status()).as(filter + " → " + reply.body()).isEqualTo(200);
        return reply.json().get("totalItems").asLong();
    }

    private static Reply refused(String view, String filter) {
        Reply reply = api.get(view, "filter", filter);
        assertThat(reply.status()).as(filter + " → " + reply.body()).isEqualTo(400);
        return reply;
    }

    @Test
    void comparisonOperatorsSelectTheMatchingRows() {
        assertThat(ids("id = 5")).containsExactly(5);
        assertThat(ids("id > 2997")).containsExactly(2998, 2999, 3000);
        assertThat(ids("id < 3")).containsExactly(1, 2);
        assertThat(ids("id >= 2999")).containsExactly(2999, 3000);
        assertThat(ids("id <= 2")).containsExactly(1, 2);
        assertThat(total("scores", "id != 1")).isEqualTo(CollectionSchema.PLAYERS - 1);
    }

    @Test
    void tildeIsLikeAndMatchesAnywhereUnlessTheValueHasAPercentSign() {
        assertThat(ids("name ~ 'player 000'")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(ids("name ~ 'player 300%'")).containsExactly(3000);
        assertThat(ids("name ~ '%r 0001'")).containsExactly(1);
        assertThat(total("scores", "name !~ 'player'")).isZero();
        // NULL is neither like nor unlike anything, as in SQL.
        assertThat(total("scores", "team !~ 'team 1'"))
                .isEqualTo(PG.queryLong("SELECT count(*) FROM scores WHERE team NOT LIKE '%team 1%'"))
                .isLessThan(PG.queryLong("SELECT count(*) FROM scores WHERE team IS DISTINCT FROM 'team 1'"));
    }

    @Test
    void tildeComparesNonTextColumnsAsText() {
        assertThat(ids("id ~ '299_'")).containsExactly(2990, 2991, 2992, 2993, 2994, 2995, 2996, 2997, 2998, 2999);
    }

    @Test
    void inSelectsAnyOfTheListedValues() {
        assertThat(ids("id IN (1, 2, 3000)")).containsExactly(1, 2, 3000);
        assertThat(ids("name in ('player 0007', \"player 0008\")")).containsExactly(7, 8);
    }

    @Test
    void equalsNullIsIsNullAndNotEqualsNullIsIsNotNull() {
        assertThat(total("scores", "team = null")).isEqualTo(CollectionSchema.PLAYERS / 10);
        assertThat(total("scores", "team != NULL")).isEqualTo(CollectionSchema.PLAYERS - CollectionSchema.PLAYERS / 10);
        assertThat(ids("team = null && id <= 30")).containsExactly(10, 20, 30);
    }

    @Test
    void andOrInWordsOrSymbolsWithParenthesesCombineAsWritten() {
        // id 1 has 37 points, id 2 has 74, id 3 has 11.
        assertThat(ids("(id = 1 || id = 2) && points > 50")).containsExactly(2);
        assertThat(ids("(id = 1 OR id = 2) AND points > 50")).containsExactly(2);
        assertThat(ids("id = 1 or id = 2 and points > 50")).containsExactly(1, 2);
        assertThat(ids("id = 3 || (id = 1 && points = 37)")).containsExactly(1, 3);
        assertThat(ids("((((id = 3))))")).containsExactly(3);
    }

    @Test
    void quotedStringsMayContainEitherQuoteEscapedWithABackslash() {
        assertThat(total("typed", "label = 'text \"quoted\"'")).isEqualTo(1);
        assertThat(total("typed", "label = \"text \\\"quoted\\\"\"")).isEqualTo(1);
    }

    @Test
    void numbersAreComparedExactlyInTheColumnsType() {
        assertThat(total("typed", "amount = " + CollectionSchema.BIG_NUMERIC)).isEqualTo(1);
        assertThat(total("typed", "amount = 12345678901234567890.12345678901234567891")).isZero();
        assertThat(total("typed", "amount > 1e19")).isEqualTo(1);
        assertThat(total("typed", "small = -0.5")).isEqualTo(1);
        assertThat(total("typed", "biggest = 9223372036854775807")).isEqualTo(1);
    }

    @Test
    void booleansTimestampsAndUuidsAreComparedInTheirTypes() {
        assertThat(total("typed", "flag = true")).isEqualTo(1);
        assertThat(total("typed", "flag = false")).isZero();
        assertThat(total("typed", "at > '2026-02-22T07:59:59Z' && at < '2026-02-22 08:00:01+00'")).isEqualTo(1);
        assertThat(total("typed", "uid = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'")).isEqualTo(1);
        assertThat(total("typed", "ints = '{1,2,3}'")).isEqualTo(1);
    }

    @Test
    void anUnknownColumnIsA400NamingIt() {
        Reply reply = refused("scores", "nope = 1");

        assertThat(reply.message()).isEqualTo("filter: unknown column \"nope\" in public.scores");
        assertThat(reply.error()).isEqualTo("invalid_filter");
    }

    @Test
    void aMalformedFilterIsA400SayingWhatWasExpected() {
        assertThat(refused("scores", "id =").message())
                .isEqualTo("filter: expected a value (a quoted string, a number, true, false or null),"
                        + " found the end of the filter");
        assertThat(refused("scores", "(id = 1").message())
                .isEqualTo("filter: expected \")\" to close the \"(\" at position 0, found the end of the filter");
        assertThat(refused("scores", "id = 1)").message())
                .isEqualTo("filter: expected AND, OR or the end of the filter, found \")\" at position 6");
        assertThat(refused("scores", "id == 1").message()).startsWith("filter: expected a value");
        assertThat(refused("scores", "id = 'open").message()).isEqualTo("filter: the string at position 5 is not closed");
        assertThat(refused("scores", "id 1").message()).startsWith("filter: expected an operator");
        for (String filter : List.of("= 1", "id = 1 AND", "id = 1 &", "id ! 1", "id IN ()", "id IN (1,)", "id = 1 id = 2",
                "id = 1.", "id = 1e", "id = 12abc", "id = name", "AND", "()", "id <> 1")) {
            assertThat(refused("scores", filter).error()).as(filter).isEqualTo("invalid_filter");
        }
    }

    @Test
    void aBadNumberIsA400NamingTheColumnAndItsType() {
        assertThat(refused("scores", "id = 'abc'").message())
                .isEqualTo("filter: id holds integer values; \"abc\" is not an integer");
        assertThat(refused("scores", "points > 1.5").message())
                .isEqualTo("filter: points holds integer values; \"1.5\" is not an integer");
        assertThat(refused("typed", "amount < 'lots'").message())
                .isEqualTo("filter: amount holds numeric values; \"lots\" is not a number");
        assertThat(refused("scores", "id = true").error()).isEqualTo("invalid_filter");
    }

    @Test
    void aValueThePostgresqlTypeRejectsIsA400WithItsReason() {
        Reply badDate = refused("typed", "at > 'not a date'");
        Reply outOfRange = refused("scores", "id = 99999999999");

        assertThat(badDate.error()).isEqualTo("invalid_value");
        assertThat(badDate.message()).isEqualTo("invalid value in filter or cursor:"
                + " invalid input syntax for type timestamp with time zone: \"not a date\"");
        assertThat(outOfRange.message()).contains("out of range for type integer");
    }

    @Test
    void anOperatorTheColumnsTypeLacksIsA400() {
        Reply reply = refused("typed", "raw_json = '[1, \"x\"]'");

        assertThat(reply.error()).isEqualTo("unsupported_operation");
        assertThat(reply.message()).contains("operator does not exist: json = json");
    }

    @Test
    void nullOnlyComparesWithEqualsOrNotEquals() {
        assertThat(refused("scores", "team > null").message())
                .isEqualTo("filter: null can only be compared with = or != (at position 0)");
        assertThat(refused("scores", "team IN ('a', null)").error()).isEqualTo("invalid_filter");
    }

    @Test
    void oversizedFiltersAreRefusedBeforeParsing() {
        String longest = "id = 1" + " ".repeat(2048 - 6);
        assertThat(ids(longest)).containsExactly(1);
        assertThat(refused("scores", longest + " ").message()).isEqualTo("filter: longer than 2048 characters");
        assertThat(ids("(".repeat(31) + "id = 1" + ")".repeat(31))).containsExactly(1);
        assertThat(refused("scores", "(".repeat(32) + "id = 1" + ")".repeat(32)).message())
                .isEqualTo("filter: nested deeper than 32 parentheses");
        String hundred = IntStream.rangeClosed(1, 100).mapToObj(Integer::toString).collect(Collectors.joining(","));
        assertThat(ids("id IN (" + hundred + ")")).hasSize(100);
        assertThat(refused("scores", "id IN (" + hundred + ",101)").message())
                .isEqualTo("filter: more than 100 values in the IN list at position 0");
    }
}
