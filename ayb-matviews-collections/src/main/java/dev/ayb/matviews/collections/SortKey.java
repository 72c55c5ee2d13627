package dev.ayb.matviews.collections;

import java.util.Objects;

/**
 * One term of an order. Nulls are placed as PostgreSQL places them by default (last ascending, first
 * descending), which is also how a default btree index orders them, so an index can serve the order and
 * the keyset conditions that continue from a cursor agree with it.
 */
public record SortKey(CollectionColumn column, boolean descending) {
    public SortKey {
        Objects.requireNonNull(column, "column");
    }
}
