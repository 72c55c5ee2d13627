package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import java.sql.SQLException;
import java.time.Duration;

/**
 * What a failed read means to the caller, by SQLSTATE. The SQL was built from checked parts, so PostgreSQL
 * refusing it is either about a value the request supplied (400), the pool role's privileges (403), the
 * view's state (404, 503), or a real failure (500, logged by the servlet with PostgreSQL's message).
 */
final class ReadFailures {
    private ReadFailures() {
    }

    static RuntimeException of(SQLException e, QualifiedName view, Duration statementTimeout) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = serverMessage(e);
        if (state.startsWith("22") || state.equals("54000") || state.equals("54001")) {
            // Data exceptions: a value that does not parse as the column's type, or is out of its range. Limits
            // (an array deeper than 6 dimensions, JSON nested past the stack depth) are only ever reached by a
            // value, since the statement itself is built from checked parts and bounded lists.
            return CollectionErrors.invalidValue(message);
        }
        return switch (state) {
            // No such operator or ordering for the type (json = json, ORDER BY a json column, point < point).
            case "42883", "42804", "42846", "42725" -> CollectionErrors.unsupportedOperation(message);
            // The view was refreshed WITH NO DATA between the catalog query and the read.
            case "55000" -> new Refusal(CollectionErrors.notPopulated(view));
            case "57014" -> new Refusal(CollectionErrors.statementTimeout(view, statementTimeout.toMillis()));
            // Dropped between the catalog query and the read.
            case "42P01" -> new MatviewException(ErrorCode.VIEW_NOT_FOUND, view);
            // The pool's role may not read the view (or a column of it): the database's decision, not a bug.
            case "42501" -> new Refusal(CollectionErrors.permissionDenied(view, message));
            default -> databaseError(e, view);
        };
    }

    /**
     * A failed catalog query. It reads the catalog and the library's registrations, nothing the request
     * chose, so a missing or forbidden relation there is the deployment's error (e.g. the registrations
     * table in a schema the pool's role cannot read), never a 404 or 403 about the view.
     */
    static RuntimeException ofCatalog(SQLException e, QualifiedName view, Duration statementTimeout) {
        if ("57014".equals(e.getSQLState())) {
            return new Refusal(CollectionErrors.statementTimeout(view, statementTimeout.toMillis()));
        }
        return databaseError(e, view);
    }

    private static MatviewException databaseError(SQLException e, QualifiedName view) {
        return new MatviewException(ErrorCode.DATABASE_ERROR, "database error while reading " + view + ": "
                + serverMessage(e), view, e.getSQLState(), e);
    }

    /** PostgreSQL's primary message: the driver's first line without its severity prefix. */
    static String serverMessage(SQLException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline);
        }
        return text.startsWith("ERROR: ") ? text.substring("ERROR: ".length()) : text;
    }
}
