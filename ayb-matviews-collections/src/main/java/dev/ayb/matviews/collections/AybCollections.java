package dev.ayb.matviews.collections;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.internal.pg.CountCache;
import dev.ayb.matviews.collections.internal.pg.DescribedView;
import dev.ayb.matviews.collections.internal.pg.ReadTransaction;
import dev.ayb.matviews.collections.internal.pg.ViewCatalog;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
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
 * {@code VIEW_NOT_FOUND}), in a read-only transaction with a statement timeout, with the privileges of the
 * pool's database role: row-level security and column privileges are the database's business.
 *
 * <p>Thread-safe; it holds a bounded cache of row counts, each kept until the view's next refresh, so build
 * one per application and share it. Every failure is a {@link MatviewException}; see {@link PageRead#read()}.
 */
public final class AybCollections {
    /** The longest one query of a read may run unless the caller chooses otherwise. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final ViewCatalog catalog;
    private final Duration statementTimeout;
    private final CountCache counts = new CountCache();

    private AybCollections(DataSource dataSource, RegistrationJoin registrations, Duration statementTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.catalog = new ViewCatalog(registrations);
        this.statementTimeout = statementTimeout;
    }

    /** Reads through the library's pool, with the {@linkplain #DEFAULT_STATEMENT_TIMEOUT default timeout}. */
    public static AybCollections of(AybMatviews matviews) {
        return of(matviews, DEFAULT_STATEMENT_TIMEOUT);
    }

    /**
     * @param matviews         the library's entry point: its pool reads the rows (its role's privileges decide
     *                         what can be read) and its registrations tell when a view was last refreshed
     * @param statementTimeout the longest one query of a read may run (PostgreSQL's {@code statement_timeout},
     *                         set for the read's transaction only); a read that exceeds it fails with
     *                         {@code READ_TIMEOUT}
     */
    public static AybCollections of(AybMatviews matviews, Duration statementTimeout) {
        Objects.requireNonNull(matviews, "matviews");
        if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()
                || statementTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the statement timeout must be between 1 ms and "
                    + Integer.MAX_VALUE + " ms (PostgreSQL's limit)");
        }
        return new AybCollections(matviews.dataSource(), new RegistrationJoin(matviews.schema()), statementTimeout);
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** The view's columns, unique key and state as they are now; empty when it is not a materialized view. */
    public Optional<CollectionView> describe(QualifiedName view) {
        try (ReadTransaction transaction = ReadTransaction.begin(dataSource, Objects.requireNonNull(view, "view"),
                statementTimeout)) {
            return transaction.describe(catalog).map(DescribedView::shape);
        }
    }

    /**
     * Opens a read of the view: finds and describes it in a transaction the returned read keeps open until it
     * is closed.
     *
     * @throws MatviewException {@code VIEW_NOT_FOUND} when there is no materialized view of that name,
     *         {@code READ_TIMEOUT} or {@code DATABASE_ERROR}
     */
    public CollectionRead open(QualifiedName view) {
        ReadTransaction transaction = ReadTransaction.begin(dataSource, Objects.requireNonNull(view, "view"),
                statementTimeout);
        try {
            DescribedView described = transaction.describe(catalog)
                    .orElseThrow(() -> new MatviewException(ErrorCode.VIEW_NOT_FOUND, view));
            return new CollectionRead(transaction, described, counts);
        } catch (RuntimeException | Error e) {
            transaction.close();
            throw e;
        }
    }

    /**
     * One page, in one call: {@link #open}, {@link CollectionRead#prepare}, {@link CollectionRead#requirePopulated}
     * and {@link PageRead#read()}, whose failures it throws.
     */
    public CollectionPage read(QualifiedName view, CollectionQuery query) {
        Objects.requireNonNull(query, "query");
        try (CollectionRead read = open(view)) {
            PageRead page = read.prepare(query);
            read.requirePopulated();
            return page.read();
        }
    }

    /**
     * The rows a filter selects ({@code null} or blank: all of them), counted once per refresh of a registered
     * view as a page's {@code totalItems} is.
     */
    public long count(QualifiedName view, @Nullable String filter) {
        CollectionQuery query = filter == null ? CollectionQuery.firstPage()
                : CollectionQuery.builder().filter(filter).build();
        try (CollectionRead read = open(view)) {
            PageRead page = read.prepare(query);
            read.requirePopulated();
            return page.count();
        }
    }
}
