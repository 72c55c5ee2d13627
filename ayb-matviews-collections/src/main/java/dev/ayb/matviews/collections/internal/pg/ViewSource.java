package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import dev.ayb.matviews.jdbc.support.PgErrors;
import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One database that reads are served from (the primary, or a replica) with the shapes of its views as it
 * last described them: each source remembers its own, since a replica's catalog may be behind its primary's.
 * Failures come out as the read path's {@link MatviewException}s ({@link ReadFailures}).
 */
public final class ViewSource {
    private final ReadStatement statement;
    private final ViewCatalog catalog;
    private final RegistrationJoin registrations;
    private final Duration statementTimeout;
    private final ShapeCache shapes = new ShapeCache();

    public ViewSource(DataSource dataSource, RegistrationJoin registrations, Duration statementTimeout) {
        this.statement = new ReadStatement(dataSource, statementTimeout);
        this.catalog = new ViewCatalog(registrations);
        this.registrations = registrations;
        this.statementTimeout = statementTimeout;
    }

    /** Whether a failure means the source did not answer (down, starting, unreachable) rather than refused. */
    public static boolean unavailable(MatviewException e) {
        return e.code() == ErrorCode.DATABASE_ERROR && PgErrors.isConnectionFailure(e.sqlState().orElse(null));
    }

    /** The view as last described, or described now. */
    public DescribedView known(QualifiedName view) {
        DescribedView known = shapes.get(view);
        return known != null ? known : learn(view);
    }

    /** The view as last described; null when it was not, or was forgotten. */
    public @Nullable DescribedView remembered(QualifiedName view) {
        return shapes.get(view);
    }

    /**
     * The view described now, and remembered.
     *
     * @throws MatviewException {@code VIEW_NOT_FOUND} when it is no materialized view
     */
    public DescribedView learn(QualifiedName view) {
        Optional<DescribedView> described = describe(view);
        if (described.isEmpty()) {
            shapes.forget(view);
            throw new MatviewException(ErrorCode.VIEW_NOT_FOUND, view);
        }
        shapes.put(described.get());
        return described.get();
    }

    /** The view described now; empty when it is no materialized view. */
    public Optional<DescribedView> describe(QualifiedName view) {
        try {
            return catalog.describe(statement, view);
        } catch (SQLException e) {
            throw ReadFailures.ofCatalog(e, view, statementTimeout);
        }
    }

    /** Remembers what a read saw of the view, for the next read's guess about its count. */
    public void saw(DescribedView described) {
        shapes.put(described);
    }

    /**
     * @param count a count query to run in the same statement, or null
     * @return null when the view is no longer a materialized view of that name
     */
    public @Nullable ViewState state(QualifiedName view, @Nullable Sql count) {
        try {
            return statement.run(PageStatement.state(registrations, view, count), PageStatement::readStateOnly);
        } catch (SQLException e) {
            throw count == null ? ReadFailures.ofCatalog(e, view, statementTimeout)
                    : ReadFailures.of(e, view, statementTimeout);
        }
    }

    /**
     * @param count the count query to run in the same statement, or null
     * @return null when the view is no longer a materialized view of that name
     */
    public PageStatement.@Nullable FetchedPage page(CollectionView view, PageRequest request, @Nullable Sql count) {
        try {
            return statement.run(PageStatement.page(registrations, view, request, count),
                    rows -> PageStatement.readPage(rows, request, PageQuery.carriesKeys(view)));
        } catch (SQLException e) {
            throw ReadFailures.of(e, view.name(), statementTimeout);
        }
    }
}
