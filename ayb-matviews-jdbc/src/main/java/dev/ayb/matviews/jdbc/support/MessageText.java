package dev.ayb.matviews.jdbc.support;

/**
 * Caller text made safe to put in an error message: control characters are escaped, so a name carrying a NUL,
 * a newline or a terminal escape cannot garble a log line, a terminal or a JSON client's display.
 */
public final class MessageText {
    private MessageText() {
    }

    /** The text with every ISO control character written as {@code \\uXXXX}; everything else as it is. */
    public static String printable(String text) {
        if (text == null || text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
