/**
 * {@code /api/collections/{name}}: materialized views' rows served read-only. Parameters are checked
 * against the catalog and every value is bound; see {@link dev.ayb.matviews.servlet.internal.collections.CollectionRoutes}.
 * Not API: anything here may change in any release.
 */
package dev.ayb.matviews.servlet.internal.collections;
