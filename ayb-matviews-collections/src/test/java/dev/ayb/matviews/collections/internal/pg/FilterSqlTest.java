package dev.ayb.matviews.collections.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.collections.Views;
import dev.ayb.matviews.collections.internal.query.FilterCheck;
import dev.ayb.matviews.collections.internal.query.FilterNode;
import dev.ayb.matviews.collections.internal.query.FilterParser;
import org.junit.jupiter.api.Test;

class FilterSqlTest {
    private static Sql render(String filter) {
        FilterNode parsed = FilterParser.parse(filter);
        FilterCheck.check(parsed, Views.LEADERBOARD);
        return FilterSql.render(parsed, Views.LEADERBOARD);
    }

    @Test
    void aComparisonIsTheQuotedColumnTheOperatorAndTheValueBoundAndCastToTheColumnsType() {
        Sql sql = render("id != 7");

        assertThat(sql.text()).isEqualTo("\"id\" <> CAST(? AS bigint)");
        assertThat(sql.values()).containsExactly("7");
    }

    @Test
    void everyValueIsABindParameterWhateverItContains() {
        Sql sql = render("name = 'x\\'; DROP TABLE users; --' || seen >= '2026-01-01' && id IN (1, 2)");

        assertThat(sql.text()).isEqualTo("(\"name\" = CAST(? AS text) OR (\"seen\" >= CAST(? AS timestamp with time zone)"
                + " AND \"id\" IN (CAST(? AS bigint), CAST(? AS bigint))))");
        assertThat(sql.values()).containsExactly("x'; DROP TABLE users; --", "2026-01-01", "1", "2");
    }

    @Test
    void likeUsesACharacterTypesOwnOperatorAnyOtherTypesTextFormAndMatchesAnywhereWithoutAPercentSign() {
        assertThat(render("name ~ 'ann'").text()).isEqualTo("\"name\" LIKE CAST(? AS text)");
        assertThat(render("name ~ 'ann'").values()).containsExactly("%ann%");
        assertThat(render("id !~ '1%'").text()).isEqualTo("CAST(\"id\" AS text) NOT LIKE CAST(? AS text)");
        assertThat(render("id !~ '1%'").values()).containsExactly("1%");
    }

    @Test
    void nullComparisonsBecomeIsNullAndIsNotNull() {
        assertThat(render("name = null").text()).isEqualTo("\"name\" IS NULL");
        assertThat(render("name != null").text()).isEqualTo("\"name\" IS NOT NULL");
        assertThat(render("name = null").values()).isEmpty();
    }

    @Test
    void aColumnMustBeOneOfTheViewsInItsExactCase() {
        assertThatThrownBy(() -> render("ID = 1")).isInstanceOf(MatviewException.class)
                .hasMessage("filter: unknown column \"ID\" in public.leaderboard");
        assertThatThrownBy(() -> render("ctid = '(0,1)'"))
                .hasMessage("filter: unknown column \"ctid\" in public.leaderboard");
    }

    @Test
    void numericColumnsTakeOnlyNumbers() {
        assertThat(render("points > -1.5e3").values()).containsExactly("-1.5e3");
        assertThat(render("points = 'NaN'").values()).containsExactly("NaN");
        assertThatThrownBy(() -> render("id = 1.5"))
                .hasMessage("filter: id holds bigint values; \"1.5\" is not an integer");
        assertThatThrownBy(() -> render("points = 'many'"))
                .hasMessage("filter: points holds numeric values; \"many\" is not a number");
        assertThatThrownBy(() -> render("id IN (1, true)"))
                .hasMessage("filter: id holds bigint values; \"true\" is not an integer");
    }

    @Test
    void otherTypesAreLeftToPostgresqlsInputRules() {
        assertThat(render("active = 'yes'").text()).isEqualTo("\"active\" = CAST(? AS boolean)");
        assertThat(render("seen < 'tomorrow'").values()).containsExactly("tomorrow");
    }
}
