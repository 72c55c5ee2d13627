package dev.ayb.matviews.collections;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.internal.pg.CountCache;
import dev.ayb.matviews.collections.internal.pg.DescribedView;
import dev.ayb.matviews.collections.internal.pg.PageCache;
import dev.ayb.matviews.collections.internal.pg.PageQuery;
import dev.ayb.matviews.collections.internal.pg.PageReader;
import dev.ayb.matviews.collections.internal.pg.PageStatement.FetchedPage;
import dev.ayb.matviews.collections.internal.pg.Sql;
import dev.ayb.matviews.collections.internal.pg.ViewSource;
import dev.ayb.matviews.collections.internal.pg.ViewState;
import dev.ayb.matviews.collections.internal.query.DataVersions;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import dev.ayb.matviews.collections.internal.query.Refusals;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A query checked against a view's columns ({@link AybCollections#prepare}), ready to read. Each of its reads
 * is one statement in the common case: the rows, the count when one is needed, the view's registration (for
 * the version and data age) and the state that proves the remembered shape still holds, all from one snapshot.
 *
 * <p>When that statement finds the view changed since its shape was learnt (a column renamed or dropped, the
 * view dropped and created again, another unique index), or fails in a way a changed shape could explain, the
 * shape is learnt again, the query checked again against it, and the read repeated: the answer is the one a
 * read of the new shape gives (rows, or the 400 or 404 it now deserves), never rows of the old shape.
 *
 * <p>Not thread-safe; a read is meant to be short.
 */
public final class PageRead {
    /** A view changing shape this many times during one read is answered with an error rather than chased. */
    private static final int ATTEMPTS = 3;

    private final ReadRouting routing;
    private final CountCache counts;
    private final PageCache pages;
    private final QualifiedName name;
    private final CollectionQuery query;
    private final ViewSource preparedOn;
    private final Prepared prepared;

    PageRead(ReadRouting routing, CountCache counts, PageCache pages, QualifiedName name, CollectionQuery query,
             ViewSource preparedOn, Prepared prepared) {
        this.routing = routing;
        this.counts = counts;
        this.pages = pages;
        this.name = name;
        this.query = query;
        this.preparedOn = preparedOn;
        this.prepared = prepared;
    }

    /** The view as the query was checked against. */
    public CollectionView view() {
        return prepared.known().shape();
    }

    /**
     * The version of the data a read would answer from, by one statement that reads no rows, so a caller can
     * answer "not modified" without reading them; empty when nothing tells when its rows changed.
     *
     * @throws MatviewException as {@link #read()}
     */
    public Optional<DataVersion> version() {
        return routing.read(name, (source, replica) -> attempt(source, (current) -> {
            DescribedView seen = stateOnly(source, current, replica);
            return seen == null ? null : Optional.ofNullable(versionOf(seen, current.request()));
        }));
    }

    /**
     * The page, in one statement: rows, the count unless the rows already tell it, it is kept from an earlier
     * read of the same data or the query skips it, and the version of the data. A page kept from an earlier
     * read ({@link AybCollections.Builder#pageCache}) is answered by a statement that reads the view's state
     * only, when that state is of the kept page's version; otherwise the rows are read in a second statement.
     *
     * @throws MatviewException {@code VIEW_NOT_FOUND} (dropped meanwhile), a 400 code when the view changed so
     *         that the query no longer fits it, {@code VIEW_NOT_POPULATED}, {@code INVALID_VALUE} (a filter value
     *         or cursor key the column's type does not accept), {@code UNSUPPORTED_OPERATION},
     *         {@code READ_PERMISSION_DENIED}, {@code READ_TIMEOUT}, {@code REPLICA_UNAVAILABLE} or
     *         {@code DATABASE_ERROR}
     */
    public VersionedPage read() {
        return routing.read(name, (source, replica) -> attempt(source, current -> readOn(source, current, replica)));
    }

    /** The rows the query's filter selects, counted (or kept, as for {@link #read()}). */
    public long count() {
        return routing.read(name, (source, replica) -> attempt(source, current -> {
            Sql count = PageQuery.count(current.known().shape(), current.request());
            Long kept = counts.kept(current.known(), count, current.request().filterReadsCurrentTime());
            ViewState state = current(source, current, source.state(name, kept == null ? count : null), replica);
            if (state == null) {
                return null;
            }
            DescribedView seen = seen(source, current, state);
            if (kept != null && counts.kept(seen, count, current.request().filterReadsCurrentTime()) != null) {
                return kept;
            }
            if (state.total() == null) {
                // The data changed since the count was kept: count it in a statement of its own snapshot.
                state = current(source, current, source.state(name, count), replica);
                if (state == null || state.total() == null) {
                    return null;
                }
                seen = seen(source, current, state);
            }
            counts.keep(seen, count, current.request().filterReadsCurrentTime(), state.total());
            return state.total();
        }));
    }

    private @Nullable VersionedPage readOn(ViewSource source, Prepared current, boolean replica) {
        VersionedPage kept = pages.kept(name, current.request().cacheKey());
        if (kept != null) {
            DescribedView seen = stateOnly(source, current, replica);
            if (seen == null) {
                return null;
            }
            DataVersion now = versionOf(seen, current.request());
            if (kept.version().equals(now)) {
                return new VersionedPage(kept.page(), now, now.lastSuccessAt(), replica);
            }
        }
        VersionedPage read = readRows(source, current, replica);
        if (read != null) {
            pages.keep(name, read);
        }
        return read;
    }

    private @Nullable VersionedPage readRows(ViewSource source, Prepared current, boolean replica) {
        PageRequest request = current.request();
        CollectionView shape = current.known().shape();
        Sql count = request.skipTotal() ? null : PageQuery.count(shape, request);
        boolean changesWithTime = request.filterReadsCurrentTime();
        // Guessed from the state the last read saw: most reads find the count kept and skip it.
        boolean withCount = count != null && counts.kept(current.known(), count, changesWithTime) == null;
        FetchedPage fetched = source.page(shape, request, withCount ? count : null);
        ViewState state = fetched == null ? null : current(source, current, fetched.state(), replica);
        if (state == null) {
            return null;
        }
        DescribedView seen = seen(source, current, state);
        long total = 0;
        if (count != null && PageReader.needsCount(request, fetched.rows().size())) {
            Long counted = state.total() != null ? state.total() : counts.kept(seen, count, changesWithTime);
            if (counted == null) {
                // The guess was wrong (the view was refreshed since): once more with the count, one snapshot.
                fetched = source.page(shape, request, count);
                state = fetched == null ? null : current(source, current, fetched.state(), replica);
                if (state == null || state.total() == null) {
                    return null;
                }
                seen = seen(source, current, state);
                counted = state.total();
            }
            counts.keep(seen, count, changesWithTime, counted);
            total = counted;
        }
        return new VersionedPage(PageReader.page(seen.shape(), request, fetched, total), versionOf(seen, request),
                seen.registration() == null ? null : seen.registration().lastSuccessAt(), replica);
    }

    /** The view's state alone, by one statement without rows; null when it is not of the shape the query knows. */
    private @Nullable DescribedView stateOnly(ViewSource source, Prepared current, boolean replica) {
        ViewState state = current(source, current, source.state(name, null), replica);
        return state == null ? null : seen(source, current, state);
    }

    /** The version of the data a statement saw; null when nothing tells when its rows changed. */
    private static @Nullable DataVersion versionOf(DescribedView seen, PageRequest request) {
        return DataVersions.of(seen.registration(), seen.shape(), seen.fingerprint(), request).orElse(null);
    }

    /**
     * The state if it is of the shape the query was checked against; null when it is not (or there is no
     * view), which makes {@link #attempt} learn the shape again. A replica's lag is checked here, before
     * anything of its answer is used.
     */
    private @Nullable ViewState current(ViewSource source, Prepared current, @Nullable ViewState state,
                                        boolean replica) {
        if (state == null || state.oid() != current.known().shape().oid()
                || !state.fingerprint().equals(current.known().fingerprint())) {
            return null;
        }
        routing.checkLag(state, replica);
        if (!state.populated()) {
            throw Refusals.notPopulated(name);
        }
        return state;
    }

    /** The remembered shape with the state a statement just read, remembered for the next read's count guess. */
    private static DescribedView seen(ViewSource source, Prepared current, ViewState state) {
        DescribedView seen = new DescribedView(withState(current.known().shape(), state), state.registration(),
                current.known().fingerprint());
        source.saw(seen);
        return seen;
    }

    private static CollectionView withState(CollectionView shape, ViewState state) {
        return new CollectionView(shape.name(), state.oid(), state.relfilenode(), state.populated(), shape.columns(),
                shape.uniqueKey());
    }

    /** One step of a read against one shape; null when its statement found the shape out of date. */
    @FunctionalInterface
    private interface Step<T> {
        @Nullable T run(Prepared current);
    }

    /** Runs a step, learning the shape again and checking the query against it as often as the view changes. */
    private <T> T attempt(ViewSource source, Step<T> step) {
        Prepared current = source == preparedOn ? prepared : Prepared.on(source, name, query);
        for (int attempt = 1; ; attempt++) {
            try {
                T result = step.run(current);
                if (result != null) {
                    return result;
                }
            } catch (MatviewException e) {
                if (!aChangedShapeCouldExplain(e)) {
                    throw e;
                }
                Prepared fresh = Prepared.learnt(source, name, query);
                if (fresh.sameShape(current)) {
                    throw e;
                }
                current = fresh;
                continue;
            }
            if (attempt >= ATTEMPTS) {
                throw new MatviewException(ErrorCode.DATABASE_ERROR, "the shape of " + name
                        + " kept changing while it was read", name, null, null);
            }
            current = Prepared.learnt(source, name, query);
        }
    }

    /**
     * Failures that mean the database answered about this very query: a statement timeout, a view not populated,
     * a source that did not answer. Any other might come from SQL written for a shape the view no longer has
     * (a column renamed or dropped: 42703; the view dropped: 42P01; a type changed under an operator: 42883...).
     */
    private static boolean aChangedShapeCouldExplain(MatviewException e) {
        return e.code() != ErrorCode.READ_TIMEOUT && e.code() != ErrorCode.VIEW_NOT_POPULATED
                && !ViewSource.unavailable(e);
    }

    /** A view's shape as one source knows it and the query checked against it. */
    record Prepared(DescribedView known, PageRequest request) {
        /** Against the remembered shape; a refusal is checked against the shape as it is now before it stands. */
        static Prepared on(ViewSource source, QualifiedName name, CollectionQuery query) {
            DescribedView remembered = source.remembered(name);
            if (remembered == null) {
                return learnt(source, name, query);
            }
            try {
                return new Prepared(remembered, PageRequest.parse(query, remembered.shape()));
            } catch (MatviewException e) {
                // A column the request names may have been added since: the refusal stands only if it still holds.
                return learnt(source, name, query);
            }
        }

        /** Against the shape as the catalog describes it now. */
        static Prepared learnt(ViewSource source, QualifiedName name, CollectionQuery query) {
            DescribedView known = source.learn(name);
            return new Prepared(known, PageRequest.parse(query, known.shape()));
        }

        boolean sameShape(Prepared other) {
            return known.shape().oid() == other.known.shape().oid()
                    && known.fingerprint().equals(other.known.fingerprint());
        }
    }
}
