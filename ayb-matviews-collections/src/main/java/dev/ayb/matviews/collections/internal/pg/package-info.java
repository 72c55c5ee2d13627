/**
 * The PostgreSQL side of a read: the catalog query describing a view, the SQL of a page and its count (every
 * value bound, every name quoted from the catalog), keyset conditions, the read-only transaction, reading
 * values by type, the count cache and what a failed statement means. Not API: anything here may change in any
 * release.
 */
@NullMarked
package dev.ayb.matviews.collections.internal.pg;

import org.jspecify.annotations.NullMarked;
