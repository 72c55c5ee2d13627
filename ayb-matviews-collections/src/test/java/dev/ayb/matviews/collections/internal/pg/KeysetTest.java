package dev.ayb.matviews.collections.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.collections.SortKey;
import dev.ayb.matviews.collections.Views;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysetTest {
    private static final SortKey ID = new SortKey(Views.ID, false);
    private static final SortKey POINTS_DOWN = new SortKey(Views.POINTS, true);
    private static final SortKey NAME = new SortKey(Views.NAME, false);

    private static List<String> texts(List<Sql> conditions) {
        return conditions.stream().map(Sql::text).toList();
    }

    @Test
    void afterAnAscendingKeyComeGreaterValuesThenNulls() {
        List<Sql> after = Keyset.after(List.of(ID), List.of("42"));

        assertThat(texts(after)).containsExactly("\"id\" > CAST(? AS bigint)", "\"id\" IS NULL");
        assertThat(after.get(0).values()).containsExactly("42");
    }

    @Test
    void afterADescendingKeyComeSmallerValuesOnlyAsNullsComeFirst() {
        assertThat(texts(Keyset.after(List.of(POINTS_DOWN), List.of("9.5"))))
                .containsExactly("\"points\" < CAST(? AS numeric)");
        assertThat(texts(Keyset.after(List.of(POINTS_DOWN), Arrays.asList((String) null))))
                .containsExactly("\"points\" IS NOT NULL");
    }

    @Test
    void afterANullAscendingKeyNothingFollowsOnThatKey() {
        assertThat(Keyset.after(List.of(ID), Arrays.asList((String) null))).isEmpty();
    }

    @Test
    void laterKeysBreakTiesOfEarlierOnesMatchingNullsWithIsNull() {
        List<Sql> after = Keyset.after(List.of(POINTS_DOWN, NAME, ID), Arrays.asList("10", null, "7"));

        assertThat(texts(after)).containsExactly(
                "\"points\" < CAST(? AS numeric)",
                "\"points\" = CAST(? AS numeric) AND \"name\" IS NULL AND \"id\" > CAST(? AS bigint)",
                "\"points\" = CAST(? AS numeric) AND \"name\" IS NULL AND \"id\" IS NULL");
        assertThat(after.get(1).values()).containsExactly("10", "7");
    }
}
