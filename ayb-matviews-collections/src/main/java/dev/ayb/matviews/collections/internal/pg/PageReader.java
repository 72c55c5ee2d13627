package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.internal.query.Cursor;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Reads one page inside a {@link ReadTransaction}: one query for the rows and, only when the rows do not
 * already tell, the total, which the caller counts (or remembers, see {@link CountCache}).
 */
public final class PageReader {
    private PageReader() {
    }

    /** @param count the number of rows a count query finds */
    public static CollectionPage read(ReadTransaction transaction, CollectionView view, PageRequest request, ToLongFunction<Sql> count) {
        List<List<Object>> rows = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        int fieldCount = request.fields().size();
        boolean carriesKeys = PageQuery.carriesKeys(view);
        transaction.query(PageQuery.rows(view, request), row -> {
            Object[] values = new Object[fieldCount];
            for (int i = 0; i < fieldCount; i++) {
                values[i] = ValueReader.read(row, i + 1, request.fields().get(i).kind());
            }
            // Not List.of: a value may be null.
            rows.add(Collections.unmodifiableList(Arrays.asList(values)));
            if (carriesKeys) {
                String[] key = new String[request.order().size()];
                for (int i = 0; i < key.length; i++) {
                    key[i] = row.getString(fieldCount + i + 1);
                }
                keys.add(Arrays.asList(key));
            }
        });
        boolean hasMore = rows.size() > request.perPage();
        if (hasMore) {
            rows.remove(rows.size() - 1);
        }
        // The largest page number has no next one to name (a forged cursor can claim it).
        String nextCursor = carriesKeys && hasMore && request.page() < Integer.MAX_VALUE
                ? new Cursor(Cursor.orderSpec(request.order()), keys.get(rows.size() - 1), request.page() + 1).encode()
                : null;
        long total = total(count, view, request, rows.size(), hasMore);
        long totalPages = total < 0 ? -1 : (total + request.perPage() - 1) / request.perPage();
        return new CollectionPage(request.page(), request.perPage(), total, totalPages, request.fields(), rows, nextCursor,
                carriesKeys);
    }

    /**
     * -1 with {@code skipTotal}. When paging by number and this page reaches the end, the rows before it
     * plus its own are the total, and the count query is saved (always so for a first page that is not full).
     */
    private static long total(ToLongFunction<Sql> count, CollectionView view, PageRequest request, int rows,
                              boolean hasMore) {
        if (request.skipTotal()) {
            return -1;
        }
        if (request.after() == null && !hasMore && (rows > 0 || request.offset() == 0)) {
            return request.offset() + rows;
        }
        return count.applyAsLong(PageQuery.count(view, request));
    }
}
