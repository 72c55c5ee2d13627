package dev.ayb.matviews.jdbc.support;

/**
 * Catalog expressions shared by the catalog reader, the refresh lock and the collections' view description,
 * so that "is this a materialized view", "is it populated" and "can it be refreshed concurrently" are each
 * decided by one piece of SQL everywhere. Each reads the outer query's {@code pg_class} row as {@code c}.
 */
public final class CatalogSql {
    /** Materialized views only (relkind 'm'): tables and plain views are never refreshed nor served. */
    public static final String IS_MATVIEW = "c.relkind = 'm'";

    /**
     * Whether the view holds data, as a boolean column named {@code populated}: false for one created or
     * restored {@code WITH NO DATA}, which cannot be read or refreshed concurrently until a standard refresh.
     */
    public static final String POPULATED = "c.relispopulated AS populated";

    /**
     * {@code FROM ... WHERE ...} of the view's usable unique indexes, by PostgreSQL's own rule for CONCURRENTLY
     * (matview.c, is_usable_unique_index): a unique, valid, immediate btree index without predicate whose
     * columns are all plain columns. Partial, expression, invalid (a failed CREATE INDEX CONCURRENTLY) and
     * non-btree indexes do not count. The index is {@code i} ({@code pg_index}) and {@code ic} (its
     * {@code pg_class} row), for a select list or an order of one's own.
     */
    public static final String USABLE_UNIQUE_INDEXES = " FROM pg_catalog.pg_index i"
            + " JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
            + " JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
            + " WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid AND i.indimmediate"
            + " AND i.indpred IS NULL AND am.amname = 'btree' AND i.indnatts > 0"
            + " AND NOT (0 = ANY (i.indkey::int2[]))";

    /** Whether the view has a usable unique index ({@link #USABLE_UNIQUE_INDEXES}). */
    public static final String HAS_USABLE_UNIQUE_INDEX = "EXISTS (SELECT 1" + USABLE_UNIQUE_INDEXES + ")";

    /** The materialized views ({@link #IS_MATVIEW}) with their schemas as {@code n}. */
    public static final String MATVIEW_FROM = " FROM pg_catalog.pg_class c"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE " + IS_MATVIEW;

    private CatalogSql() {
    }
}
