/**
 * Exact change tracking on PostgreSQL: finding a view's base tables in the catalog, the statement-level triggers
 * that record which transactions wrote them, and the freshness query that compares those with the snapshot of the
 * view's last successful refresh. Not API: anything here may change in any release.
 */
@NullMarked
package dev.ayb.matviews.jdbc.internal.tracking;

import org.jspecify.annotations.NullMarked;
