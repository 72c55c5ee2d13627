package dev.ayb.matviews.collections;

import dev.ayb.matviews.collections.internal.pg.PageQuery;
import dev.ayb.matviews.collections.internal.pg.PageReader;
import dev.ayb.matviews.collections.internal.query.DataVersions;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import java.util.Optional;

/** A query checked against the view of an open {@link CollectionRead}, in that read's transaction. */
public final class PageRead {
    private final CollectionRead read;
    private final PageRequest request;

    PageRead(CollectionRead read, PageRequest request) {
        this.read = read;
        this.request = request;
    }

    /**
     * The version of the data the page answers from; empty when nothing tells when its rows changed. Asking
     * reads nothing, so a caller can answer "not modified" without reading rows.
     */
    public Optional<DataVersion> version() {
        return DataVersions.of(read.described().registration(), read.view(), request);
    }

    /**
     * The page: one query for the rows, and the count unless the rows already tell it, it is kept from an
     * earlier read of the same data, or the query skips it.
     *
     * @throws dev.ayb.matviews.MatviewException {@code VIEW_NOT_POPULATED}, {@code INVALID_VALUE} (a filter
     *         value or cursor key the column's type does not accept), {@code UNSUPPORTED_OPERATION},
     *         {@code READ_PERMISSION_DENIED}, {@code READ_TIMEOUT}, {@code VIEW_NOT_FOUND} (dropped meanwhile)
     *         or {@code DATABASE_ERROR}
     */
    public CollectionPage read() {
        read.requirePopulated();
        return PageReader.read(read.transaction(), read.view(), request,
                countQuery -> read.counts().count(read.described(), countQuery, request.filterReadsCurrentTime(),
                        read.transaction()::count));
    }

    /** The rows the query's filter selects, counted (or kept, as for {@link #read()}). */
    public long count() {
        read.requirePopulated();
        return read.counts().count(read.described(), PageQuery.count(read.view(), request),
                request.filterReadsCurrentTime(), read.transaction()::count);
    }
}
