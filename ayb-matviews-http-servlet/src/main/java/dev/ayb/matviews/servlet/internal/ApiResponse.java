package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a handler answers: a status, a JSON body (none for 204 and 304) and extra headers. Writing it is left
 * to {@link ResponseWriter}, so every response gets the same common headers. A route that answers in another
 * media type (CSV), or that writes its JSON itself, gives an {@link Encoded} body instead of a JSON tree.
 */
public record ApiResponse(int status, JsonNode body, Map<String, String> headers, Encoded encoded) {
    public ApiResponse {
        headers = Map.copyOf(headers);
        if (body != null && encoded != null) {
            throw new IllegalArgumentException("a response has a JSON body or an encoded one, not both");
        }
    }

    public ApiResponse(int status, JsonNode body, Map<String, String> headers) {
        this(status, body, headers, null);
    }

    /** Answered by a route that took the response over (an event stream): nothing is left to write. */
    private static final ApiResponse STREAMED = new ApiResponse(200, null, Map.of());

    public static ApiResponse streamed() {
        return STREAMED;
    }

    public boolean isStreamed() {
        return this == STREAMED;
    }

    public static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(JsonNode body, String location) {
        return new ApiResponse(201, body, Map.of("Location", location));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, body, more, encoded);
    }

    /** A body already encoded by the route, e.g. {@code text/csv; charset=utf-8}. */
    public static ApiResponse encoded(int status, String contentType, byte[] bytes) {
        return new ApiResponse(status, null, Map.of(), new Encoded(contentType, bytes));
    }

    /** Bytes in a media type; not copied, so the route must not change them once answered. */
    public record Encoded(String contentType, byte[] bytes) {
        public Encoded {
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(bytes, "bytes");
        }
    }
}
