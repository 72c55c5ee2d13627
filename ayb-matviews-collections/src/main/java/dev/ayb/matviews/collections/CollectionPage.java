package dev.ayb.matviews.collections;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page as read: the columns served, their values row by row, the totals (-1 when skipped) and the
 * cursor of the next page.
 *
 * <p>A value is null (SQL NULL), a {@link Long}, {@link java.math.BigDecimal}, {@link Float}, {@link Double},
 * {@link Boolean}, {@link String} or {@link RawJson} (json, jsonb and arrays, as PostgreSQL wrote them). Values
 * JSON has no number for (NaN, ±Infinity, PostgreSQL's infinite timestamps) are strings; timestamps are
 * ISO-8601 strings, a timestamptz in UTC.
 *
 * @param rows         one list per row, holding the values of {@code fields} in their order
 * @param nextCursor   null when there is no next page, or the view cannot be paged by cursor
 * @param cursorPaging whether the view has a unique key, so pages carry {@code nextCursor}
 */
public record CollectionPage(int page, int perPage, long totalItems, long totalPages, List<CollectionColumn> fields,
                             List<List<@Nullable Object>> rows, @Nullable String nextCursor,
                             boolean cursorPaging) {
    public CollectionPage {
        fields = List.copyOf(fields);
        rows = List.copyOf(rows);
    }
}
