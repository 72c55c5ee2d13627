package dev.ayb.matviews.jdbc.support;

/**
 * Catalog expressions shared by the catalog reader and the refresh lock, so that "can this view be
 * refreshed concurrently" is decided by one piece of SQL everywhere.
 */
public final class CatalogSql {
    /**
     * PostgreSQL's own rule for CONCURRENTLY (matview.c, is_usable_unique_index): a unique, valid,
     * immediate btree index without predicate whose columns are all plain columns. Partial, expression,
     * invalid (a failed CREATE INDEX CONCURRENTLY) and non-btree indexes do not count.
     */
    public static final String HAS_USABLE_UNIQUE_INDEX = "EXISTS (SELECT 1 FROM pg_catalog.pg_index i"
            + " JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
            + " JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
            + " WHERE i.indrelid = c.oid AND i.indisunique AND i.indisvalid AND i.indimmediate"
            + " AND i.indpred IS NULL AND am.amname = 'btree' AND i.indnatts > 0"
            + " AND NOT (0 = ANY (i.indkey::int2[])))";

    /** Materialized views only (relkind 'm'): tables and plain views are never refreshed. */
    public static final String MATVIEW_FROM = " FROM pg_catalog.pg_class c"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind = 'm'";

    private CatalogSql() {
    }
}
