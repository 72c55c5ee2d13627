/**
 * The adapter's implementations of the core's SPI (registration store, catalog, advisory refresh locks and the
 * refresh session) and the schema migrator. Not API: anything here may change in any release.
 */
@NullMarked
package dev.ayb.matviews.jdbc.internal;

import org.jspecify.annotations.NullMarked;
