package dev.ayb.matviews.collections;

import dev.ayb.matviews.QualifiedName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A materialized view as one catalog query found it, within a read's transaction.
 *
 * @param oid         {@code pg_class.oid}: changes when the view is dropped and created again
 * @param relfilenode changes with every standard (non-concurrent) refresh, even one run outside the library
 * @param populated   false for a view created or restored {@code WITH NO DATA}: reading it would fail
 * @param columns     the addressable columns in their order; a column whose name is not a valid identifier
 *                    is left out (it can be neither returned, filtered nor sorted by)
 * @param uniqueKey   the columns of the usable unique index (PostgreSQL's rule for CONCURRENTLY) in index
 *                    order and direction; empty when the view has none, or when one of its columns is not
 *                    addressable
 */
public record CollectionView(QualifiedName name, long oid, long relfilenode, boolean populated,
                             List<CollectionColumn> columns, List<SortKey> uniqueKey) {
    public CollectionView {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        uniqueKey = List.copyOf(uniqueKey);
    }

    public Optional<CollectionColumn> column(String columnName) {
        for (CollectionColumn column : columns) {
            if (column.name().equals(columnName)) {
                return Optional.of(column);
            }
        }
        return Optional.empty();
    }

    /** With a unique key every order can be made total, which stable paging and cursors need. */
    public boolean hasUniqueKey() {
        return !uniqueKey.isEmpty();
    }
}
