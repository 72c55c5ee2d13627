package dev.ayb.matviews.collections.internal.pg;

/**
 * One text that changes whenever what a read remembers of a view's shape could be wrong: its columns' names,
 * order and types ({@code pg_attribute}), and the view's indexes ({@code pg_index}), so that any index created
 * or dropped, the unique index the key is taken from among them, makes the read learn the shape again. The
 * view's oid is compared beside it, so a view dropped and created again with the same columns is caught as
 * well.
 *
 * <p>Evaluated by the catalog query when the shape is learnt and by every read in the statement that reads the
 * rows: the read compares the two, so a shape that changed since it was learnt is noticed by the read itself,
 * from the same snapshot as its rows. Each read pays for it, so it reads two catalogs by the view's oid and
 * nothing more: the index oids, not which of them is the key (which would join {@code pg_class} and
 * {@code pg_am} and sort): an index that changes nothing of the key costs one catalog query more, once. An
 * index renamed, which can change the choice between equally short keys, is not noticed: the key remembered
 * is still a unique index of the view, so its order and cursors stay right.
 */
final class ShapeFingerprint {
    private ShapeFingerprint() {
    }

    /** The fingerprint of the {@code pg_class} row aliased {@code c} in the outer query, as text. */
    static String of() {
        return "(SELECT coalesce(pg_catalog.string_agg(fa.attnum || ':' || fa.attname || ':' || fa.atttypid, ','"
                + " ORDER BY fa.attnum), '') FROM pg_catalog.pg_attribute fa"
                + " WHERE fa.attrelid = c.oid AND fa.attnum > 0 AND NOT fa.attisdropped)"
                + " || '/' || coalesce((SELECT pg_catalog.string_agg(fi.indexrelid::text, ',' ORDER BY fi.indexrelid)"
                + " FROM pg_catalog.pg_index fi WHERE fi.indrelid = c.oid), '')";
    }
}
