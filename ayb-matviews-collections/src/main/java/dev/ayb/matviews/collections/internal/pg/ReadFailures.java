package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.internal.query.Refusals;
import dev.ayb.matviews.jdbc.support.PgErrors;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What a failed read means to the caller, by SQLSTATE: the read path's own mapping. The SQL was built from
 * checked parts, so PostgreSQL refusing it is either about a value the request supplied (400), the pool
 * role's privileges (403), the view's state (404, 503), or a real failure (500, which an HTTP layer logs with
 * PostgreSQL's message). PostgreSQL's message is cleaned up by {@link PgErrors#serverMessage}, as everywhere.
 */
public final class ReadFailures {
    private ReadFailures() {
    }

    public static MatviewException of(SQLException e, QualifiedName view, Duration statementTimeout) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = PgErrors.serverMessage(e);
        if (state.startsWith(PgErrors.DATA_EXCEPTION_CLASS) || state.equals("54000") || state.equals("54001")) {
            // Data exceptions: a value that does not parse as the column's type, or is out of its range. Limits
            // (an array deeper than 6 dimensions, JSON nested past the stack depth) are only ever reached by a
            // value, since the statement itself is built from checked parts and bounded lists.
            return Refusals.invalidValue(message, e.getSQLState(), e);
        }
        return switch (state) {
            // No such operator or ordering for the type (json = json, ORDER BY a json column, point < point).
            case "42883", "42804", "42846", "42725" -> Refusals.unsupportedOperation(message, e.getSQLState(), e);
            // The view was refreshed WITH NO DATA between the catalog query and the read.
            case PgErrors.OBJECT_NOT_IN_PREREQUISITE_STATE -> Refusals.notPopulated(view);
            case PgErrors.QUERY_CANCELED -> Refusals.statementTimeout(view, statementTimeout.toMillis(), e);
            // Dropped between the catalog query and the read.
            case PgErrors.UNDEFINED_TABLE -> new MatviewException(ErrorCode.VIEW_NOT_FOUND, view);
            // The pool's role may not read the view (or a column of it): the database's decision, not a bug.
            case PgErrors.INSUFFICIENT_PRIVILEGE -> Refusals.permissionDenied(view, message, e);
            default -> databaseError(e, view);
        };
    }

    /**
     * A failed catalog query. It reads the catalog and the library's registrations, nothing the request
     * chose, so a missing or forbidden relation there is the deployment's error (e.g. the registrations
     * table in a schema the pool's role cannot read), never a 404 or 403 about the view.
     */
    public static MatviewException ofCatalog(SQLException e, QualifiedName view, Duration statementTimeout) {
        if (PgErrors.QUERY_CANCELED.equals(e.getSQLState())) {
            return Refusals.statementTimeout(view, statementTimeout.toMillis(), e);
        }
        return databaseError(e, view);
    }

    private static MatviewException databaseError(SQLException e, QualifiedName view) {
        return new MatviewException(ErrorCode.DATABASE_ERROR, "database error while reading " + view + ": "
                + PgErrors.serverMessage(e), view, e.getSQLState(), e);
    }
}
