package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.internal.query.Cursor;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a page of the rows a {@link PageStatement} fetched: the extra row says whether there is a next page
 * (and so a cursor), and the total comes from the rows when they tell it, otherwise from a count.
 */
public final class PageReader {
    private PageReader() {
    }

    /**
     * Whether the page needs a count: not with {@code skipTotal}, nor when paging by number this page reaches
     * the end, since the rows before it plus its own are the total (always so for a first page that is not
     * full).
     *
     * @param fetched the rows fetched, one more than the page when there is a next one
     */
    public static boolean needsCount(PageRequest request, int fetched) {
        boolean hasMore = fetched > request.perPage();
        return !request.skipTotal() && !(request.after() == null && !hasMore && (fetched > 0 || request.offset() == 0));
    }

    /** @param count the count, when {@link #needsCount} says one is needed (ignored otherwise) */
    public static CollectionPage page(CollectionView view, PageRequest request, PageStatement.FetchedPage fetched,
                                      long count) {
        List<List<Object>> rows = new ArrayList<>(fetched.rows());
        boolean hasMore = rows.size() > request.perPage();
        if (hasMore) {
            rows.remove(rows.size() - 1);
        }
        boolean carriesKeys = PageQuery.carriesKeys(view);
        // The largest page number has no next one to name (a forged cursor can claim it).
        String nextCursor = carriesKeys && hasMore && request.page() < Integer.MAX_VALUE
                ? new Cursor(Cursor.orderSpec(request.order()), fetched.keys().get(rows.size() - 1),
                        request.page() + 1).encode()
                : null;
        long total = request.skipTotal() ? -1
                : needsCount(request, fetched.rows().size()) ? count : request.offset() + rows.size();
        long totalPages = total < 0 ? -1 : (total + request.perPage() - 1) / request.perPage();
        return new CollectionPage(request.page(), request.perPage(), total, totalPages, request.fields(), rows,
                nextCursor, carriesKeys);
    }
}
