/**
 * The read engine behind {@code /api/collections}: a materialized view's rows, read-only, by the collections
 * API's query parameters (filter grammar, sort, fields, page or keyset cursor, totals counted once per refresh).
 * Start at {@link dev.ayb.matviews.collections.AybCollections}; a query is a
 * {@link dev.ayb.matviews.collections.CollectionQuery}, a page a {@link dev.ayb.matviews.collections.CollectionPage},
 * and every failure a {@link dev.ayb.matviews.MatviewException} whose code says what was wrong. No HTTP here:
 * the admin servlet is one HTTP layer over it, yours can be another.
 */
@NullMarked
package dev.ayb.matviews.collections;

import org.jspecify.annotations.NullMarked;
