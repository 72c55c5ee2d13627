package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.servlet.internal.ApiException;
import dev.ayb.matviews.servlet.internal.ApiResponse;
import dev.ayb.matviews.servlet.internal.ErrorResponses;

/**
 * The collection route's own refusals. Messages say what is wrong and quote the caller's text only through
 * {@link #quote}, which escapes and shortens it.
 */
final class CollectionErrors {
    /** Sent with 503s: a view is typically populated by a refresh that takes seconds to minutes. */
    static final String RETRY_AFTER_SECONDS = "60";

    private static final int MAX_QUOTED_CHARS = 60;

    private CollectionErrors() {
    }

    static ApiException invalidParameter(String message) {
        return new ApiException(400, "invalid_parameter", message);
    }

    static ApiException invalidFilter(String message) {
        return new ApiException(400, "invalid_filter", "filter: " + message);
    }

    static ApiException invalidSort(String message) {
        return new ApiException(400, "invalid_sort", "sort: " + message);
    }

    static ApiException invalidFields(String message) {
        return new ApiException(400, "invalid_fields", "fields: " + message);
    }

    static ApiException invalidCursor(String message) {
        return new ApiException(400, "invalid_cursor", "after: " + message);
    }

    /** PostgreSQL refused a value the request supplied (a filter value or a cursor's key), e.g. 22P02. */
    static ApiException invalidValue(String pgMessage) {
        return new ApiException(400, "invalid_value", "invalid value in filter or cursor: " + pgMessage);
    }

    /** PostgreSQL has no such operator for the column's type, e.g. {@code json = json} or ORDER BY a json column. */
    static ApiException unsupportedOperation(String pgMessage) {
        return new ApiException(400, "unsupported_operation",
                "the filter or sort uses an operation the column's type does not support: " + pgMessage);
    }

    static ApiResponse notPopulated(QualifiedName view) {
        return ErrorResponses.of(503, "view_not_populated",
                "materialized view " + view + " has not been populated yet; refresh it first")
                .withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    static ApiResponse statementTimeout(QualifiedName view, long timeoutMs) {
        return ErrorResponses.of(503, "read_timeout",
                "reading " + view + " took longer than the statement timeout of " + timeoutMs + " ms")
                .withHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    /** Privileges and row-level security are checked for the pool's role, never for the HTTP caller. */
    static ApiResponse permissionDenied(QualifiedName view, String pgMessage) {
        return ErrorResponses.of(403, "permission_denied",
                "the database role of the connection pool may not read " + view + ": " + pgMessage);
    }

    static ApiResponse writeRefused() {
        return ErrorResponses.of(405, "method_not_allowed", "write operations not allowed on materialized_view")
                .withHeader("Allow", "GET, HEAD");
    }

    /**
     * Caller text for a message, quoted the way Go's {@code %q} does and cut after 60 characters, so a
     * control character, a quote or a megabyte of input cannot garble the message or a log line.
     */
    static String quote(String text) {
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
