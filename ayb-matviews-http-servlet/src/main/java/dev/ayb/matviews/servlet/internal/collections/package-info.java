/**
 * {@code /api/collections/{name}}: materialized views' rows served read-only over HTTP. The rows are read by
 * the engine of ayb-matviews-collections; this package parses the request, negotiates JSON or CSV, answers
 * the conditional headers and maps the engine's error codes to statuses; see
 * {@link dev.ayb.matviews.servlet.internal.collections.CollectionRoutes}. Not API: anything here may change in
 * any release.
 */
@NullMarked
package dev.ayb.matviews.servlet.internal.collections;

import org.jspecify.annotations.NullMarked;
