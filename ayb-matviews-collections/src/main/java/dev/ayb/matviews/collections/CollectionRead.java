package dev.ayb.matviews.collections;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.collections.internal.pg.CountCache;
import dev.ayb.matviews.collections.internal.pg.DescribedView;
import dev.ayb.matviews.collections.internal.pg.ReadTransaction;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import dev.ayb.matviews.collections.internal.query.Refusals;
import java.util.Optional;

/**
 * One read of a view, open: one borrowed connection in one read-only transaction, in which the view was
 * found and described. Everything asked of it comes from that one snapshot, so a page's
 * {@linkplain PageRead#version() version} always describes the rows it reads. Close it (try-with-resources)
 * to give the connection back as it came; a read is meant to be short.
 *
 * <pre>{@code
 * try (CollectionRead read = collections.open(view)) {
 *     PageRead page = read.prepare(query);    // the query checked against the view's columns
 *     read.requirePopulated();
 *     if (page.version().equals(cachedVersion)) { ... }    // answer without reading rows
 *     CollectionPage rows = page.read();
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class CollectionRead implements AutoCloseable {
    private final ReadTransaction transaction;
    private final DescribedView described;
    private final CountCache counts;

    CollectionRead(ReadTransaction transaction, DescribedView described, CountCache counts) {
        this.transaction = transaction;
        this.described = described;
        this.counts = counts;
    }

    /** The view as the catalog describes it in this read's snapshot. */
    public CollectionView view() {
        return described.shape();
    }

    /** The view's registration in this read's snapshot; empty when it is not registered. */
    public Optional<Registration> registration() {
        return Optional.ofNullable(described.registration());
    }

    /**
     * @throws dev.ayb.matviews.MatviewException {@code VIEW_NOT_POPULATED} for a view created or restored
     *         {@code WITH NO DATA}, which has no rows to read until it is refreshed
     */
    public void requirePopulated() {
        if (!view().populated()) {
            throw Refusals.notPopulated(view().name());
        }
    }

    /**
     * The query checked against the view's columns, ready to read.
     *
     * @throws dev.ayb.matviews.MatviewException a 400 code naming the parameter that is wrong
     *         ({@link CollectionQuery})
     */
    public PageRead prepare(CollectionQuery query) {
        return new PageRead(this, PageRequest.parse(query, view()));
    }

    DescribedView described() {
        return described;
    }

    ReadTransaction transaction() {
        return transaction;
    }

    CountCache counts() {
        return counts;
    }

    /** Ends the transaction (nothing was written either way) and gives the connection back. */
    @Override
    public void close() {
        transaction.close();
    }
}
