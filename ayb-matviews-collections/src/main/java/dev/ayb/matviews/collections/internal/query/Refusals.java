package dev.ayb.matviews.collections.internal.query;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;

/**
 * A read's own refusals, as {@link MatviewException}s whose codes say what was wrong. Messages say what is
 * wrong and quote the caller's text only through {@link #quote}, which escapes and shortens it.
 */
public final class Refusals {
    private static final int MAX_QUOTED_CHARS = 60;

    private Refusals() {
    }

    public static MatviewException invalidParameter(String message) {
        return new MatviewException(ErrorCode.INVALID_PARAMETER, message);
    }

    public static MatviewException invalidFilter(String message) {
        return new MatviewException(ErrorCode.INVALID_FILTER, "filter: " + message);
    }

    public static MatviewException invalidSort(String message) {
        return new MatviewException(ErrorCode.INVALID_SORT, "sort: " + message);
    }

    public static MatviewException invalidFields(String message) {
        return new MatviewException(ErrorCode.INVALID_FIELDS, "fields: " + message);
    }

    public static MatviewException invalidCursor(String message) {
        return new MatviewException(ErrorCode.INVALID_CURSOR, "after: " + message);
    }

    /** PostgreSQL refused a value the request supplied (a filter value or a cursor's key), e.g. 22P02. */
    public static MatviewException invalidValue(String pgMessage, String sqlState, Throwable cause) {
        return new MatviewException(ErrorCode.INVALID_VALUE, "invalid value in filter or cursor: " + pgMessage, null,
                sqlState, cause);
    }

    /** PostgreSQL has no such operator for the column's type, e.g. {@code json = json} or ORDER BY a json column. */
    public static MatviewException unsupportedOperation(String pgMessage, String sqlState, Throwable cause) {
        return new MatviewException(ErrorCode.UNSUPPORTED_OPERATION,
                "the filter or sort uses an operation the column's type does not support: " + pgMessage, null,
                sqlState, cause);
    }

    public static MatviewException notPopulated(QualifiedName view) {
        return new MatviewException(ErrorCode.VIEW_NOT_POPULATED,
                "materialized view " + view + " has not been populated yet; refresh it first", view, null, null);
    }

    public static MatviewException statementTimeout(QualifiedName view, long timeoutMs, Throwable cause) {
        return new MatviewException(ErrorCode.READ_TIMEOUT,
                "reading " + view + " took longer than the statement timeout of " + timeoutMs + " ms", view,
                "57014", cause);
    }

    /** Privileges and row-level security are checked for the pool's role, never for the caller of the API. */
    public static MatviewException permissionDenied(QualifiedName view, String pgMessage, Throwable cause) {
        return new MatviewException(ErrorCode.READ_PERMISSION_DENIED,
                "the database role of the connection pool may not read " + view + ": " + pgMessage, view, "42501",
                cause);
    }

    /**
     * Caller text for a message, quoted the way Go's {@code %q} does and cut after 60 characters, so a
     * control character, a quote or a megabyte of input cannot garble the message or a log line.
     */
    public static String quote(String text) {
        String shown = text.length() > MAX_QUOTED_CHARS ? text.substring(0, MAX_QUOTED_CHARS) : text;
        StringBuilder out = new StringBuilder(shown.length() + 5).append('"');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        return shown.length() < text.length() ? out.append("...").toString() : out.toString();
    }
}
