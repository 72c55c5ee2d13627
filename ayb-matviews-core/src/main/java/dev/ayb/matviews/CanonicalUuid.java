package dev.ayb.matviews;

import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Ids as callers type them (registrations, schedules, jobs): only the canonical 36-character form is an id.
 * {@link UUID#fromString} alone also accepts short forms such as {@code 1-1-1-1-1}, which would address another
 * object than the one written.
 */
public final class CanonicalUuid {
    private static final int LENGTH = 36;

    private CanonicalUuid() {
    }

    /**
     * @param text what the caller wrote
     * @return the id, or empty when the text is not a UUID in its canonical form (either letter case)
     */
    public static Optional<UUID> parse(@Nullable String text) {
        if (text == null || text.length() != LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = text.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !isAsciiHexDigit(c)) {
                return Optional.empty();
            }
        }
        return Optional.of(UUID.fromString(text));
    }

    private static boolean isAsciiHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
