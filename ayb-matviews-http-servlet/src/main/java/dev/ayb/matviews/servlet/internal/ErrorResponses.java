package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.MatviewException;
import java.util.Map;

/**
 * Every error answer, as {@code {"code", "message", "error"}}. Messages are the core's (which already
 * uses the original system's exact texts) or fixed texts here; never a stack trace, a header or a token.
 */
public final class ErrorResponses {
    /** The challenge sent with every 401 (RFC 6750). */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"ayb-matviews\"";

    private ErrorResponses() {
    }

    public static ApiResponse of(int status, String errorName, String message) {
        return new ApiResponse(status, Json.error(status, errorName, message), Map.of());
    }

    public static ApiResponse from(MatviewException e) {
        return of(e.httpStatus(), e.code().errorName(), e.getMessage());
    }

    public static ApiResponse from(ApiException e) {
        return of(e.status(), e.errorName(), e.getMessage());
    }

    public static ApiResponse unauthorized() {
        return of(401, "unauthorized", "admin authentication required")
                .withHeader("WWW-Authenticate", BEARER_CHALLENGE);
    }

    public static ApiResponse notFound() {
        return of(404, "not_found", "not found");
    }

    public static ApiResponse methodNotAllowed(Router.MethodNotAllowed resolution) {
        return of(405, "method_not_allowed", "method not allowed").withHeader("Allow", resolution.allowHeader());
    }

    public static ApiResponse internalError() {
        return of(500, "internal_error", "internal server error");
    }
}
