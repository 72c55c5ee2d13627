package dev.ayb.matviews.spi;

import dev.ayb.matviews.QualifiedName;
import java.util.Objects;

/**
 * What the catalog says about an existing materialized view.
 *
 * @param hasUsableUniqueIndex whether an index exists that PostgreSQL accepts for CONCURRENTLY: unique,
 *                             valid, immediate, btree, no predicate, no expression columns
 */
public record ViewState(QualifiedName name, boolean populated, boolean hasUsableUniqueIndex) {
    public ViewState {
        Objects.requireNonNull(name, "name");
    }
}
