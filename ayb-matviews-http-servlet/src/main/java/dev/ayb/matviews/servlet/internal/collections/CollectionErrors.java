package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.servlet.internal.ApiException;
import dev.ayb.matviews.servlet.internal.ApiResponse;
import dev.ayb.matviews.servlet.internal.ErrorResponses;
import java.util.Optional;

/**
 * The collection route's answers to the read engine's refusals, and its own. The engine's codes carry their
 * statuses; what HTTP adds here is the headers (a 503 says when to retry) and the body's shape: the read's
 * refusals answer {@code {"code", "message", "error"}} only, their messages naming the view where it matters.
 */
final class CollectionErrors {
    /** Sent with 503s: a view is typically populated by a refresh that takes seconds to minutes. */
    static final String RETRY_AFTER_SECONDS = "60";

    private CollectionErrors() {
    }

    /**
     * The answer to a refusal of the read engine; empty for a failure the servlet answers as it answers the
     * core's ({@code VIEW_NOT_FOUND}, {@code DATABASE_ERROR}...).
     */
    static Optional<ApiResponse> answer(MatviewException e, AybCollections collections) {
        ApiResponse answer = ErrorResponses.of(e.httpStatus(), e.code().errorName(), e.getMessage());
        return switch (e.code()) {
            case VIEW_NOT_POPULATED, READ_TIMEOUT -> Optional.of(answer.withHeader("Retry-After", RETRY_AFTER_SECONDS));
            // The host's own estimate of how soon its replica is back or caught up.
            case REPLICA_UNAVAILABLE -> Optional.of(answer.withHeader("Retry-After", Long.toString(
                    collections.replica().map(ReadReplica::retryAfterSeconds)
                            .orElse(ReadReplica.DEFAULT_RETRY_AFTER.toSeconds()))));
            case READ_PERMISSION_DENIED, INVALID_PARAMETER, INVALID_FILTER, INVALID_SORT, INVALID_FIELDS,
                    INVALID_CURSOR, INVALID_VALUE, UNSUPPORTED_OPERATION -> Optional.of(answer);
            default -> Optional.empty();
        };
    }

    static ApiException invalidFormat() {
        return new ApiException(400, "invalid_parameter", "format must be json or csv");
    }

    static ApiResponse writeRefused() {
        return ErrorResponses.of(405, "method_not_allowed", "write operations not allowed on materialized_view")
                .withHeader("Allow", "GET, HEAD");
    }
}
