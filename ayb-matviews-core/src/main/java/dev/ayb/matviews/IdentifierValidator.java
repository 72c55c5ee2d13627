package dev.ayb.matviews;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The only gate through which a schema or view name reaches SQL. A name is accepted when it matches
 * {@code ^[A-Za-z_][A-Za-z0-9_]*$} and fits PostgreSQL's 63-byte limit (longer names would be silently
 * truncated by PostgreSQL and could then address a different object). Accepted names are still always
 * double-quoted, so case is preserved and no keyword is misread.
 */
public final class IdentifierValidator {
    /** PostgreSQL's NAMEDATALEN - 1. */
    public static final int MAX_BYTES = 63;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_ECHOED_CHARS = 80;

    private IdentifierValidator() {
    }

    public static boolean isValid(@Nullable String identifier) {
        return identifier != null
                && IDENTIFIER.matcher(identifier).matches()
                && identifier.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    /** Returns the identifier unchanged, or throws {@link ErrorCode#INVALID_IDENTIFIER} naming it. */
    public static String validate(@Nullable String identifier) {
        if (!isValid(identifier)) {
            throw new MatviewException(ErrorCode.INVALID_IDENTIFIER, "invalid identifier: " + quoteForMessage(identifier));
        }
        return identifier;
    }

    /** The identifier validated and double-quoted, ready to be placed in SQL text. */
    public static String quote(String identifier) {
        return '"' + validate(identifier) + '"';
    }

    /**
     * Quotes caller text for an error message the way Go's {@code %q} does, so control characters,
     * quotes and very long input cannot garble a log line or a terminal.
     */
    static String quoteForMessage(@Nullable String text) {
        if (text == null) {
            return "\"\"";
        }
        String shown = text.length() > MAX_ECHOED_CHARS ? text.substring(0, MAX_ECHOED_CHARS) : text;
        StringBuilder out = new StringBuilder(shown.length() + 2).append('"');
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (shown.length() < text.length()) {
            out.append("...");
        }
        return out.toString();
    }
}
