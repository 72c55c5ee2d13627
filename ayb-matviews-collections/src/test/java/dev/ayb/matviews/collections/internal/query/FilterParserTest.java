package dev.ayb.matviews.collections.internal.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.collections.internal.query.FilterNode.Comparison;
import dev.ayb.matviews.collections.internal.query.FilterNode.In;
import dev.ayb.matviews.collections.internal.query.FilterNode.Junction;
import dev.ayb.matviews.collections.internal.query.FilterNode.Literal;
import dev.ayb.matviews.collections.internal.query.FilterNode.Operator;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterParserTest {
    private static Comparison comparison(String column, Operator operator, Literal.Kind kind, String text, int at) {
        return new Comparison(column, operator, new Literal(kind, text), at);
    }

    private static String refusal(String filter) {
        try {
            FilterParser.parse(filter);
        } catch (MatviewException e) {
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.code().errorName()).isEqualTo("invalid_filter");
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + filter);
    }

    @Test
    void aBlankFilterIsNoFilter() {
        assertThat(FilterParser.parse("")).isNull();
        assertThat(FilterParser.parse(" \t\n")).isNull();
    }

    @Test
    void everyOperatorParsesToItsComparison() {
        for (Operator operator : Operator.values()) {
            assertThat(FilterParser.parse("points" + operator.symbol() + "10"))
                    .isEqualTo(comparison("points", operator, Literal.Kind.NUMBER, "10", 0));
        }
    }

    @Test
    void valuesAreStringsNumbersBooleansOrNull() {
        assertThat(FilterParser.parse("name = 'it\\'s'"))
                .isEqualTo(comparison("name", Operator.EQUAL, Literal.Kind.STRING, "it's", 0));
        assertThat(FilterParser.parse("name = \"say \\\"hi\\\" \\\\o/\""))
                .isEqualTo(comparison("name", Operator.EQUAL, Literal.Kind.STRING, "say \"hi\" \\o/", 0));
        assertThat(FilterParser.parse("points >= -12.5e-3"))
                .isEqualTo(comparison("points", Operator.GREATER_OR_EQUAL, Literal.Kind.NUMBER, "-12.5e-3", 0));
        assertThat(FilterParser.parse("active = TRUE"))
                .isEqualTo(comparison("active", Operator.EQUAL, Literal.Kind.BOOLEAN, "true", 0));
        assertThat(FilterParser.parse("name != Null"))
                .isEqualTo(comparison("name", Operator.NOT_EQUAL, Literal.Kind.NULL, "null", 0));
        assertThat(FilterParser.parse("name = 'ünïcødé ✓'"))
                .isEqualTo(comparison("name", Operator.EQUAL, Literal.Kind.STRING, "ünïcødé ✓", 0));
    }

    @Test
    void andBindsTighterThanOrAndParenthesesGroup() {
        FilterNode parsed = FilterParser.parse("a = 1 || b = 2 && c = 3");
        FilterNode grouped = FilterParser.parse("(a = 1 OR b = 2) and c = 3");

        assertThat(parsed).isEqualTo(new Junction(false, List.of(
                comparison("a", Operator.EQUAL, Literal.Kind.NUMBER, "1", 0),
                new Junction(true, List.of(comparison("b", Operator.EQUAL, Literal.Kind.NUMBER, "2", 9),
                        comparison("c", Operator.EQUAL, Literal.Kind.NUMBER, "3", 18))))));
        assertThat(grouped).isEqualTo(new Junction(true, List.of(
                new Junction(false, List.of(comparison("a", Operator.EQUAL, Literal.Kind.NUMBER, "1", 1),
                        comparison("b", Operator.EQUAL, Literal.Kind.NUMBER, "2", 10))),
                comparison("c", Operator.EQUAL, Literal.Kind.NUMBER, "3", 21))));
    }

    @Test
    void aChainOfOneConnectiveIsOneFlatJunction() {
        assertThat(FilterParser.parse("a=1 && b=2 AND c=3")).isInstanceOfSatisfying(Junction.class,
                junction -> assertThat(junction.parts()).hasSize(3));
    }

    @Test
    void inTakesAListOfValues() {
        assertThat(FilterParser.parse("id in (1, 'two', 3)")).isEqualTo(new In("id", List.of(
                new Literal(Literal.Kind.NUMBER, "1"), new Literal(Literal.Kind.STRING, "two"),
                new Literal(Literal.Kind.NUMBER, "3")), 0));
    }

    @Test
    void keywordsAreColumnNamesWhereAColumnIsExpected() {
        assertThat(FilterParser.parse("and = 1 and or = 2")).isInstanceOf(Junction.class);
    }

    @Test
    void sqlThatIsNotTheFilterLanguageIsRefused() {
        assertThat(refusal("id = 1 OR 1=1--")).isEqualTo("filter: unexpected \"-\" at position 13");
        assertThat(refusal("id = 1 OR 1=1")).startsWith("filter: expected a column name or \"(\", found \"1\"");
        assertThat(refusal("id = 1; DROP TABLE users")).isEqualTo("filter: unexpected \";\" at position 6");
        assertThat(refusal("id = 1 /* x */")).isEqualTo("filter: unexpected \"/\" at position 7");
        assertThat(refusal("name = 'a'' OR ''1''=''1'")).startsWith("filter: expected AND, OR or the end");
        assertThat(refusal("id = $1")).isEqualTo("filter: unexpected \"$\" at position 5");
        assertThat(refusal("pg_sleep(10) = 1")).startsWith("filter: expected an operator");
        assertThat(refusal("id = (SELECT 1)")).startsWith("filter: expected a value");
        assertThat(refusal("id = 1 UNION SELECT 1")).startsWith("filter: expected AND, OR");
        assertThat(refusal("id::text = '1'")).isEqualTo("filter: unexpected \":\" at position 2");
        assertThat(refusal("\"id\" = 1")).startsWith("filter: expected a column name or \"(\", found the string");
    }

    @Test
    void lookAlikeAndControlCharactersAreRefusedWithTheirCodePoint() {
        assertThat(refusal("ｉd = 1")).isEqualTo("filter: unexpected character U+FF49 at position 0");
        assertThat(refusal("id = 1 аnd id = 2")).isEqualTo("filter: unexpected character U+0430 at position 7");
        assertThat(refusal("id = 1\u0000")).isEqualTo("filter: unexpected character U+0000 at position 6");
        assertThat(refusal("name = 'a\u0000b'")).isEqualTo("filter: NUL character in the string at position 7");
        assertThat(refusal("id\u00a0= 1")).isEqualTo("filter: unexpected character U+00A0 at position 2");
    }

    @Test
    void errorsSayWhatWasExpectedAndWhere() {
        assertThat(refusal("id")).isEqualTo("filter: expected an operator (= != > < >= <= ~ !~ IN) after \"id\","
                + " found the end of the filter");
        assertThat(refusal("id = ")).isEqualTo("filter: expected a value (a quoted string, a number, true, false"
                + " or null), found the end of the filter");
        assertThat(refusal("id in (1 2)")).isEqualTo("filter: expected \",\" or \")\" in the IN list, found \"2\" at"
                + " position 9");
        assertThat(refusal("id = 1 & id = 2")).isEqualTo("filter: unexpected \"&\" at position 7 (use && or AND)");
        assertThat(refusal("id ! 2")).isEqualTo("filter: unexpected \"!\" at position 3 (use != or !~)");
        assertThat(refusal("id = 1.x")).isEqualTo("filter: malformed number \"1.x\" at position 5");
        assertThat(refusal("id = 12ab")).isEqualTo("filter: malformed number \"12a\" at position 5");
        assertThat(refusal("name = 'open")).isEqualTo("filter: the string at position 7 is not closed");
    }

    @Test
    void nestingLengthAndListSizeAreBounded() {
        assertThat(FilterParser.parse("(".repeat(31) + "a=1" + ")".repeat(31))).isNotNull();
        assertThat(refusal("(".repeat(32) + "a=1" + ")".repeat(32)))
                .isEqualTo("filter: nested deeper than 32 parentheses");
        assertThat(refusal("(".repeat(100_000))).isEqualTo("filter: longer than 2048 characters");
        assertThat(refusal("a=1" + " ".repeat(2046))).isEqualTo("filter: longer than 2048 characters");
        assertThatThrownBy(() -> FilterParser.parse("id in (" + "1,".repeat(100) + "1)"))
                .hasMessage("filter: more than 100 values in the IN list at position 0");
    }
}
