package dev.ayb.matviews.servlet.internal.collections;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One term of an ORDER BY. Nulls are placed as PostgreSQL places them by default (last ascending, first
 * descending), which is also how a default btree index orders them, so an index can serve the order and
 * the keyset predicates in {@link Keyset} agree with it.
 */
record SortKey(ViewColumn column, boolean descending) {
    SortKey {
        Objects.requireNonNull(column, "column");
    }

    String sql() {
        return column.sql() + (descending ? " DESC" : " ASC");
    }

    /** {@code -total_minutes,+id}: how a cursor records the order it was made for. */
    static String spec(List<SortKey> order) {
        return order.stream().map(key -> (key.descending ? "-" : "+") + key.column.name())
                .collect(Collectors.joining(","));
    }

    static String orderBy(List<SortKey> order) {
        return order.stream().map(SortKey::sql).collect(Collectors.joining(", "));
    }
}
