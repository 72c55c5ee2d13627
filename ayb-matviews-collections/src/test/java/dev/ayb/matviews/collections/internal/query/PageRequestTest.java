package dev.ayb.matviews.collections.internal.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.collections.CollectionQuery;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.SortKey;
import dev.ayb.matviews.collections.Views;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PageRequestTest {
    private static PageRequest parse(CollectionView view, String... pairs) {
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.put(pairs[i], pairs[i + 1]);
        }
        return PageRequest.parse(CollectionQuery.fromParameters(name -> Optional.ofNullable(parameters.get(name))), view);
    }

    private static PageRequest parse(String... pairs) {
        return parse(Views.LEADERBOARD, pairs);
    }

    private static String refusal(String... pairs) {
        try {
            parse(pairs);
        } catch (MatviewException e) {
            assertThat(e.httpStatus()).isEqualTo(400);
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void defaultsAreTheFirstPageOfTwentyEveryColumnAndTheUniqueKeysOrder() {
        PageRequest request = parse();

        assertThat(request.page()).isEqualTo(1);
        assertThat(request.perPage()).isEqualTo(20);
        assertThat(request.fields()).isEqualTo(Views.LEADERBOARD.columns());
        assertThat(request.order()).containsExactly(new SortKey(Views.ID, false));
        assertThat(request.filter()).isNull();
        assertThat(request.skipTotal()).isFalse();
        assertThat(request.after()).isNull();
        assertThat(request.offset()).isZero();
    }

    @Test
    void theOffsetIsThePagesBeforeThisOne() {
        assertThat(parse("page", "3", "perPage", "50").offset()).isEqualTo(100);
        assertThat(parse("page", "2147483647", "perPage", "500").offset()).isEqualTo(2147483646L * 500);
    }

    @Test
    void aSortIsMadeTotalByAppendingTheUniqueKey() {
        assertThat(parse("sort", "-points, name").order()).containsExactly(new SortKey(Views.POINTS, true),
                new SortKey(Views.NAME, false), new SortKey(Views.ID, false));
        assertThat(parse("sort", "-id,+name").order()).containsExactly(new SortKey(Views.ID, true),
                new SortKey(Views.NAME, false));
        assertThat(parse(Views.UNINDEXED, "sort", "name").order()).containsExactly(new SortKey(Views.NAME, false));
        assertThat(parse(Views.UNINDEXED).order()).isEmpty();
    }

    @Test
    void fieldsAreCheckedTrimmedAndDeduplicatedInTheGivenOrder() {
        assertThat(parse("fields", " name ,id,name").fields()).containsExactly(Views.NAME, Views.ID);
        assertThat(parse("fields", "  ").fields()).isEqualTo(Views.LEADERBOARD.columns());
    }

    @Test
    void numbersOutsideTheirRangeOrNotDecimalDigitsAreRefused() {
        assertThat(refusal("page", "0")).isEqualTo("page must be an integer between 1 and 2147483647, not 0");
        assertThat(refusal("page", "-1")).isEqualTo("page must be an integer between 1 and 2147483647, not \"-1\"");
        assertThat(refusal("page", "2147483648")).isEqualTo("page must be an integer between 1 and 2147483647,"
                + " not 2147483648");
        for (String bad : List.of("", "1.5", "1e3", "0x10", " 1", "+1", "１", "99999999999", "1;")) {
            assertThat(refusal("perPage", bad)).as(bad).startsWith("perPage must be an integer between 1 and 500");
        }
        assertThat(refusal("skipTotal", "yes")).isEqualTo("skipTotal must be true or false, not \"yes\"");
        assertThat(parse("skipTotal", "TRUE").skipTotal()).isTrue();
    }

    @Test
    void sortAndFieldsNameOnlyRealColumns() {
        assertThat(refusal("sort", "name;DROP TABLE users"))
                .isEqualTo("sort: unknown column \"name;DROP TABLE users\" in public.leaderboard");
        assertThat(refusal("sort", "name desc")).isEqualTo("sort: unknown column \"name desc\" in public.leaderboard");
        assertThat(refusal("sort", "id,,name")).isEqualTo("sort: empty column name in \"id,,name\"");
        assertThat(refusal("sort", "-")).isEqualTo("sort: empty column name in \"-\"");
        assertThat(refusal("sort", "id,-id")).isEqualTo("sort: column \"id\" is named twice");
        assertThat(refusal("fields", "*")).isEqualTo("fields: unknown column \"*\" in public.leaderboard");
        assertThat(refusal("fields", "id,count(*)")).isEqualTo("fields: unknown column \"count(*)\" in public.leaderboard");
        assertThat(refusal("fields", "id\u0000")).isEqualTo("fields: unknown column \"id\\u0000\" in public.leaderboard");
    }

    @Test
    void aCursorMustMatchTheOrderAndCannotComeWithAPage() {
        String cursor = new Cursor("+id", List.of("20"), 2).encode();

        assertThat(parse("after", cursor).after()).isEqualTo(new Cursor("+id", List.of("20"), 2));
        assertThat(parse("after", cursor).page()).isEqualTo(2);
        assertThat(parse("after", cursor).offset()).isZero();
        assertThat(refusal("after", cursor, "sort", "-id")).startsWith("after: the cursor belongs to another sort");
        assertThat(refusal("after", cursor, "page", "2"))
                .isEqualTo("page cannot be combined with after: the cursor knows its page");
        assertThat(refusal("after", new Cursor("+id", List.of("20"), 1).encode())).startsWith("after: not a cursor");
    }

    @Test
    void theCacheKeyChangesWithEveryParameterThatChangesTheAnswer() {
        String base = parse().cacheKey();

        for (String[] pairs : List.of(new String[] {"page", "2"}, new String[] {"perPage", "5"},
                new String[] {"sort", "name"}, new String[] {"fields", "id"}, new String[] {"filter", "id = 1"},
                new String[] {"skipTotal", "true"},
                new String[] {"after", new Cursor("+id", List.of("20"), 2).encode()})) {
            assertThat(parse(pairs).cacheKey()).as(pairs[0]).isNotEqualTo(base);
        }
        assertThat(parse("expand", "whatever", "perPage", "20").cacheKey()).isEqualTo(base);
    }
}
