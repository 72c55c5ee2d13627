package dev.ayb.matviews.servlet.internal;

/**
 * An HTTP-level refusal that is not the core's to make: a body that is too large, not JSON, or of the
 * wrong media type. Failures of the core arrive as {@link dev.ayb.matviews.MatviewException} instead.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorName;

    public ApiException(int status, String errorName, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorName = errorName;
    }

    static ApiException invalidJson() {
        return new ApiException(400, "invalid_json", "invalid JSON body");
    }

    static ApiException unreadableBody() {
        return new ApiException(400, "unreadable_body", "the request body could not be read");
    }

    public static ApiException tooLarge(long maxBytes) {
        return new ApiException(413, "payload_too_large", "request body exceeds " + maxBytes + " bytes");
    }

    static ApiException unsupportedMediaType() {
        return new ApiException(415, "unsupported_media_type", "Content-Type must be application/json");
    }

    public int status() {
        return status;
    }

    public String errorName() {
        return errorName;
    }
}
