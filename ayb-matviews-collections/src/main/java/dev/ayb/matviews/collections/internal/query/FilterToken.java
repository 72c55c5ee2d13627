package dev.ayb.matviews.collections.internal.query;

/**
 * A token of a filter expression.
 *
 * @param text     the token's text; for a string, its value with the quotes and escapes removed
 * @param position where it starts in the filter (0-based), for error messages
 */
record FilterToken(Type type, String text, int position) {
    enum Type {
        /** A name: a column, or a keyword (AND, OR, IN, true, false, null) where the grammar expects one. */
        WORD,
        STRING,
        NUMBER,
        /** = != &gt; &lt; &gt;= &lt;= ~ !~ */
        OPERATOR,
        AND,
        OR,
        OPEN,
        CLOSE,
        COMMA,
        END
    }

    /** How the token is named in an error message. */
    String describe() {
        return switch (type) {
            case END -> "the end of the filter";
            case STRING -> "the string " + Refusals.quote(text) + " at position " + position;
            default -> Refusals.quote(text) + " at position " + position;
        };
    }

    boolean isWord(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }
}
