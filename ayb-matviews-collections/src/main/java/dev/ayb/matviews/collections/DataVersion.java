package dev.ayb.matviews.collections;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Which version of a view's data a read answers from, for a cache or an HTTP layer's validators (ETag,
 * Last-Modified): a materialized view's rows change only when it is refreshed, and the registration records
 * every refresh the library runs. A read has one only when that tells when its rows last changed: the view is
 * registered, a refresh of it has succeeded, and the query names no time relative to now ({@code 'today'}
 * means another day tomorrow). A failed refresh changes no rows, so it leaves the version as it was.
 *
 * <p>The limits: a {@code CONCURRENTLY} refresh run outside the library changes none of this (a standard one
 * changes {@code relfilenode}), so its rows are seen as new only after the next refresh through the library.
 *
 * @param registrationId the view's registration
 * @param lastSuccessAt  when its last successful refresh started: the moment its rows are "as of"
 * @param oid            the view's {@code pg_class.oid}: changes when it is dropped and created again
 * @param relfilenode    changes with every standard refresh, even one run outside the library
 * @param shape          the view's columns (position, name, type) and indexes as the rows were read: changes
 *                       when a column is renamed, which changes what a column's name reads although no row
 *                       changed
 * @param queryKey       the query's parameters as they affect the rows (page, order, fields, filter, cursor,
 *                       totals), one per line: equal keys, equal rows
 */
public record DataVersion(UUID registrationId, Instant lastSuccessAt, long oid, long relfilenode, String shape,
                          String queryKey) {
    public DataVersion {
        Objects.requireNonNull(registrationId, "registrationId");
        Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(queryKey, "queryKey");
    }
}
