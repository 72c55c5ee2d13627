package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.MatviewException;
import java.util.Map;

/**
 * Every error answer, as {@code {"code", "message", "error"}}. Messages are the core's (which already
 * uses the original system's exact texts) or fixed texts here; never a stack trace, a header or a token.
 */
public final class ErrorResponses {
    /** The challenge sent with every 401 (RFC 6750). */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"ayb-matviews\"";
    /** The longest message an error answer carries; the longest the API composes itself are a few hundred. */
    public static final int MAX_MESSAGE_CHARS = 1000;

    private ErrorResponses() {
    }

    /**
     * The error answer. The message may quote a caller's text, or PostgreSQL's message about a caller's value:
     * its control characters are escaped and it is cut at {@value #MAX_MESSAGE_CHARS} characters, so a message
     * is always one printable line of bounded length, whatever was sent.
     */
    public static ApiResponse of(int status, String errorName, String message) {
        return new ApiResponse(status, Json.error(status, errorName, printable(message)), Map.of());
    }

    /**
     * The three fields, then what the core knows beside its exact message: the view ({@code schemaName},
     * {@code viewName}), else the reference as given ({@code ref}), and a {@code hint} when there is one.
     */
    public static ApiResponse from(MatviewException e) {
        ApiResponse response = of(e.httpStatus(), e.code().errorName(), e.getMessage());
        ObjectNode body = (ObjectNode) response.body();
        e.schemaName().ifPresent(schema -> body.put("schemaName", schema));
        e.viewName().ifPresent(view -> body.put("viewName", view));
        e.ref().ifPresent(ref -> body.put("ref", printable(ref)));
        e.hint().ifPresent(hint -> body.put("hint", hint));
        return response;
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

    private static String printable(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_MESSAGE_CHARS) + 8);
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            out.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        if (out.length() <= MAX_MESSAGE_CHARS) {
            return out.toString();
        }
        int cut = MAX_MESSAGE_CHARS - 3;
        if (Character.isHighSurrogate(out.charAt(cut - 1))) {
            cut--;
        }
        return out.substring(0, cut) + "...";
    }
}
