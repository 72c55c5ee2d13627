/**
 * What a storage adapter implements for the core: {@link dev.ayb.matviews.spi.RegistrationStore},
 * {@link dev.ayb.matviews.spi.MatviewCatalog} and {@link dev.ayb.matviews.spi.RefreshLocks}. Applications use
 * the adapter (PostgreSQL's is {@code ayb-matviews-jdbc}); only implementers need this package.
 */
@NullMarked
package dev.ayb.matviews.spi;

import org.jspecify.annotations.NullMarked;
