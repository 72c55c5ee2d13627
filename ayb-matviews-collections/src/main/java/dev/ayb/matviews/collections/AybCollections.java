package dev.ayb.matviews.collections;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.internal.pg.CountCache;
import dev.ayb.matviews.collections.internal.pg.DescribedView;
import dev.ayb.matviews.collections.internal.pg.PageCache;
import dev.ayb.matviews.collections.internal.pg.ViewSource;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The read engine behind {@code /api/collections}: materialized views' rows, read-only, with the collections
 * API's filter language, sort, field list, page or cursor paging and totals. Use it to serve views from an
 * HTTP layer of your own:
 *
 * <pre>{@code
 * AybCollections collections = AybCollections.of(matviews);
 * CollectionPage page = collections.read(QualifiedName.parse("public.leaderboard"),
 *         CollectionQuery.builder().sort("-total_minutes").perPage(5).build());
 * }</pre>
 *
 * <p>Every column the query names is checked against the view's real columns and every value is a bind
 * parameter, so no caller text reaches SQL. Only materialized views are read (a table or plain view is
 * {@code VIEW_NOT_FOUND}), read-only with a statement timeout, with the privileges of the pool's database
 * role: row-level security and column privileges are the database's business.
 *
 * <p>A read is one statement in the common case ({@link PageRead}): the view's shape is remembered, and
 * checked by the read itself. With a {@link ReadReplica}, reads are served from it.
 *
 * <p>Thread-safe; it holds the shapes of the views read and a bounded cache of row counts, each kept until
 * the view's next refresh, so build one per application and share it. Every failure is a
 * {@link MatviewException}; see {@link PageRead#read()}.
 */
public final class AybCollections {
    /** The longest one query of a read may run unless the caller chooses otherwise. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /** The memory pages kept between reads may hold unless the caller chooses otherwise: 32 MiB. */
    public static final long DEFAULT_PAGE_CACHE_BYTES = 32L * 1024 * 1024;

    private final ReadRouting routing;
    private final Duration statementTimeout;
    private final @Nullable ReadReplica replica;
    private final CountCache counts = new CountCache();
    private final PageCache pages;

    private AybCollections(Builder builder) {
        RegistrationJoin registrations = new RegistrationJoin(builder.matviews.schema());
        this.statementTimeout = builder.statementTimeout;
        this.replica = builder.replica;
        this.pages = new PageCache(builder.pageCacheBytes);
        ViewSource primary = new ViewSource(builder.matviews.dataSource(), registrations, statementTimeout);
        ViewSource replicaSource = replica == null ? null
                : new ViewSource(replica.dataSource(), registrations, statementTimeout);
        this.routing = new ReadRouting(primary, replicaSource, replica);
    }

    /** Reads through the library's pool, with the {@linkplain #DEFAULT_STATEMENT_TIMEOUT default timeout}. */
    public static AybCollections of(AybMatviews matviews) {
        return builder(matviews).build();
    }

    /**
     * @param matviews         the library's entry point: its pool reads the rows (its role's privileges decide
     *                         what can be read) and its registrations tell when a view was last refreshed
     * @param statementTimeout the longest one query of a read may run (PostgreSQL's {@code statement_timeout},
     *                         set for the read's statement only); a read that exceeds it fails with
     *                         {@code READ_TIMEOUT}
     */
    public static AybCollections of(AybMatviews matviews, Duration statementTimeout) {
        return builder(matviews).statementTimeout(statementTimeout).build();
    }

    public static Builder builder(AybMatviews matviews) {
        return new Builder(matviews);
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** The replica reads are served from; empty when they are served from the library's pool. */
    public Optional<ReadReplica> replica() {
        return Optional.ofNullable(replica);
    }

    /**
     * The view's columns, unique key and state as the catalog describes them now (on the replica, if reads
     * come from one); empty when it is not a materialized view.
     */
    public Optional<CollectionView> describe(QualifiedName view) {
        Objects.requireNonNull(view, "view");
        return routing.read(view, (source, replica) -> source.describe(view)).map(DescribedView::shape);
    }

    /**
     * Checks the query against the view's columns (as last seen; a refusal is checked against the catalog
     * before it stands), without reading anything else.
     *
     * @throws MatviewException {@code VIEW_NOT_FOUND} when there is no materialized view of that name, a 400
     *         code naming the parameter that is wrong ({@link CollectionQuery}), {@code READ_TIMEOUT},
     *         {@code REPLICA_UNAVAILABLE} or {@code DATABASE_ERROR}
     */
    public PageRead prepare(QualifiedName view, CollectionQuery query) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(query, "query");
        return routing.read(view, (source, replica) ->
                new PageRead(routing, counts, pages, view, query, source, PageRead.Prepared.on(source, view, query)));
    }

    /** One page, in one call: {@link #prepare} and {@link PageRead#read()}, whose failures it throws. */
    public CollectionPage read(QualifiedName view, CollectionQuery query) {
        return prepare(view, query).read().page();
    }

    /**
     * The rows a filter selects ({@code null} or blank: all of them), counted once per refresh of a registered
     * view as a page's {@code totalItems} is.
     */
    public long count(QualifiedName view, @Nullable String filter) {
        CollectionQuery query = filter == null ? CollectionQuery.firstPage()
                : CollectionQuery.builder().filter(filter).build();
        return prepare(view, query).count();
    }

    /** How reads are made; only the library's entry point is required. */
    public static final class Builder {
        private final AybMatviews matviews;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private @Nullable ReadReplica replica;
        private long pageCacheBytes = DEFAULT_PAGE_CACHE_BYTES;

        private Builder(AybMatviews matviews) {
            this.matviews = Objects.requireNonNull(matviews, "matviews");
        }

        /**
         * The longest one query of a read may run (PostgreSQL's {@code statement_timeout}, set for the read's
         * statement only); a read that exceeds it fails with {@code READ_TIMEOUT}.
         */
        public Builder statementTimeout(Duration statementTimeout) {
            if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()
                    || statementTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the statement timeout must be between 1 ms and "
                        + Integer.MAX_VALUE + " ms (PostgreSQL's limit)");
            }
            this.statementTimeout = statementTimeout;
            return this;
        }

        /** Serves reads from a replica ({@link ReadReplica}); null: from the library's pool (the default). */
        public Builder replica(@Nullable ReadReplica replica) {
            this.replica = replica;
            return this;
        }

        /**
         * How much memory (estimated) pages kept between reads may hold; 0 keeps none. A page is kept under the
         * version of the data it was read from ({@link DataVersion}: a registered view refreshed successfully, a
         * query naming no time relative to now) and answered again, without reading its rows, to a read that
         * finds the view's state of that version, in one statement that reads the state alone. A page of
         * another version is read anew. Default {@value #DEFAULT_PAGE_CACHE_BYTES} bytes.
         */
        public Builder pageCache(long maxBytes) {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("the page cache's size must be 0 or more bytes");
            }
            this.pageCacheBytes = maxBytes;
            return this;
        }

        public AybCollections build() {
            return new AybCollections(this);
        }
    }
}
