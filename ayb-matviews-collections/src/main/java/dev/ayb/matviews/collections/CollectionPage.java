package dev.ayb.matviews.servlet.internal.collections;

import java.util.List;

/**
 * One page as read: the columns served, their values row by row (see {@link ValueReader} for the types),
 * the totals (-1 when skipped) and the cursor of the next page.
 *
 * @param nextCursor null when there is no next page, or the view cannot be paged by cursor
 * @param cursorPaging whether the view has a unique key, so {@code nextCursor} is part of the answer
 */
record Page(int page, int perPage, long totalItems, long totalPages, List<ViewColumn> fields, List<Object[]> rows,
            String nextCursor, boolean cursorPaging) {
    Page {
        fields = List.copyOf(fields);
        rows = List.copyOf(rows);
    }
}
