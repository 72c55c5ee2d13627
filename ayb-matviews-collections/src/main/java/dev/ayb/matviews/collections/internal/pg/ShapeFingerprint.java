package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.jdbc.support.CatalogSql;

/**
 * One text that changes whenever what a read remembers of a view's shape would be wrong: its columns' names,
 * order and types ({@code pg_attribute}), and the unique index the key is taken from (chosen by the same rule as
 * {@link ViewCatalog}'s, so a renamed index that changes the choice changes it too). The view's oid is compared
 * beside it, so a view dropped and created again with the same columns is caught as well.
 *
 * <p>Evaluated by the catalog query when the shape is learnt and by every read in the statement that reads the
 * rows: the read compares the two, so a shape that changed since it was learnt is noticed by the read itself,
 * from the same snapshot as its rows, at the cost of a few catalog lookups by index.
 */
final class ShapeFingerprint {
    private ShapeFingerprint() {
    }

    /** The fingerprint of the {@code pg_class} row aliased {@code c} in the outer query, as text. */
    static String of() {
        return "(SELECT coalesce(pg_catalog.string_agg(fa.attnum || ':' || fa.attname || ':' || fa.atttypid, ','"
                + " ORDER BY fa.attnum), '') FROM pg_catalog.pg_attribute fa"
                + " WHERE fa.attrelid = c.oid AND fa.attnum > 0 AND NOT fa.attisdropped)"
                + " || '/' || coalesce((SELECT i.indexrelid::text" + CatalogSql.USABLE_UNIQUE_INDEXES
                + " ORDER BY i.indnkeyatts, ic.relname LIMIT 1), '')";
    }
}
