package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.servlet.AdminAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code Authorization: Bearer <token>} against one shared admin token. Only the token's SHA-256 digest is
 * kept, and presented tokens are compared by digest with {@link MessageDigest#isEqual}: the time taken
 * depends neither on how much of the token matches nor on its length. The token is never logged, and
 * {@link #toString()} does not show it.
 */
public final class BearerTokenAuthenticator implements AdminAuthenticator {
    private static final String SCHEME = "Bearer";

    private final byte[] expectedDigest;

    public BearerTokenAuthenticator(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("the admin token must not be empty");
        }
        // A trailing newline from a secrets file would otherwise make every request fail with 401.
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c > '~') {
                throw new IllegalArgumentException(
                        "the admin token must be printable ASCII without spaces (check for a trailing newline)");
            }
        }
        this.expectedDigest = sha256(token);
    }

    @Override
    public boolean allows(HttpServletRequest request) {
        return matches(request.getHeader("Authorization"));
    }

    /** Whether an {@code Authorization} header value carries the admin token. */
    boolean matches(String authorization) {
        if (authorization == null
                || authorization.length() <= SCHEME.length()
                // The scheme is case-insensitive (RFC 9110 §11.1).
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || authorization.charAt(SCHEME.length()) != ' ') {
            return false;
        }
        String presented = authorization.substring(SCHEME.length()).trim();
        return !presented.isEmpty() && MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerTokenAuthenticator[token=<hidden>]";
    }
}
