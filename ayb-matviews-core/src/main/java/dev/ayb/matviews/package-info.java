/**
 * The library's API without any storage: the values (registrations, runs, refresh results, view references),
 * {@link dev.ayb.matviews.MatviewRegistry} and {@link dev.ayb.matviews.RefreshService} with the rules they keep,
 * and the one exception, {@link dev.ayb.matviews.MatviewException}, with its {@link dev.ayb.matviews.ErrorCode}s.
 *
 * <p>Nothing here is null unless marked {@code @Nullable}; a value that may be absent is returned as an
 * {@link java.util.Optional}.
 */
@NullMarked
package dev.ayb.matviews;

import org.jspecify.annotations.NullMarked;
