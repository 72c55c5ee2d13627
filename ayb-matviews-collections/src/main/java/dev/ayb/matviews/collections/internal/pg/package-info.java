/**
 * The PostgreSQL side of a read: the catalog query describing a view and the shapes remembered from it, the
 * one statement of a page (its rows, count, registration and the view's state; every value bound, every name
 * quoted from the catalog), keyset conditions, the read's settings in the same round trip, reading values by
 * type, the count cache and what a failed statement means. Not API: anything here may change in any
 * release.
 */
@NullMarked
package dev.ayb.matviews.collections.internal.pg;

import org.jspecify.annotations.NullMarked;
