package dev.ayb.matviews.servlet;

import dev.ayb.matviews.servlet.internal.BearerTokenAuthenticator;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whether a request may use the admin API. The servlet asks it before routing any
 * {@code /api/admin} request, so a caller it refuses learns nothing, not even which routes exist.
 *
 * <p>Use {@link #bearerToken(String)} for the original system's shared admin token, or supply your own
 * check, e.g. one that reads the host application's session and roles:
 *
 * <pre>{@code
 * AdminAuthenticator auth = request -> request.isUserInRole("admin");
 * }</pre>
 *
 * <p>Implementations are called concurrently and must not log credentials.
 */
@FunctionalInterface
public interface AdminAuthenticator {

    /** True when the request may use the admin API; false answers 401 {@code admin authentication required}. */
    boolean allows(HttpServletRequest request);

    /**
     * Accepts {@code Authorization: Bearer <token>} with exactly this token. The comparison takes the same
     * time whatever the presented token (SHA-256 digests compared with {@link java.security.MessageDigest#isEqual}),
     * so neither the token's content nor its length leaks through response times.
     *
     * @param token the admin token: printable ASCII, no spaces
     * @throws IllegalArgumentException when the token is null, empty or contains spaces or control characters
     */
    static AdminAuthenticator bearerToken(String token) {
        return new BearerTokenAuthenticator(token);
    }
}
