package dev.ayb.matviews.collections.internal.query;

import dev.ayb.matviews.collections.internal.query.FilterNode.Literal;
import dev.ayb.matviews.collections.internal.query.FilterToken.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the filter language of the original's collections API (the subset it documents) by recursive
 * descent:
 *
 * <pre>
 * filter     := or END
 * or         := and (("||" | OR) and)*
 * and        := primary (("&amp;&amp;" | AND) primary)*
 * primary    := "(" or ")" | comparison
 * comparison := column operator value | column IN "(" value ("," value)* ")"
 * operator   := "=" | "!=" | "&gt;" | "&lt;" | "&gt;=" | "&lt;=" | "~" | "!~"
 * value      := 'string' | "string" | number | true | false | null
 * </pre>
 *
 * Keywords are case-insensitive. Bounds keep a hostile filter cheap: at most {@value #MAX_LENGTH} characters,
 * {@value #MAX_DEPTH} levels of parentheses and {@value #MAX_IN_VALUES} values in one IN list.
 */
public final class FilterParser {
    static final int MAX_LENGTH = 2048;
    static final int MAX_DEPTH = 32;
    static final int MAX_IN_VALUES = 100;

    private final List<FilterToken> tokens;
    private int next;

    private FilterParser(List<FilterToken> tokens) {
        this.tokens = tokens;
    }

    /** @return null for a blank filter */
    public static FilterNode parse(String filter) {
        if (filter.length() > MAX_LENGTH) {
            throw Refusals.invalidFilter("longer than " + MAX_LENGTH + " characters");
        }
        if (filter.isBlank()) {
            return null;
        }
        FilterParser parser = new FilterParser(FilterTokenizer.tokenize(filter));
        FilterNode node = parser.or(1);
        FilterToken end = parser.peek();
        if (end.type() != Type.END) {
            throw Refusals.invalidFilter("expected AND, OR or the end of the filter, found " + end.describe());
        }
        return node;
    }

    private FilterNode or(int depth) {
        List<FilterNode> parts = new ArrayList<>();
        parts.add(and(depth));
        while (peek().type() == Type.OR || peek().isWord("OR")) {
            next++;
            parts.add(and(depth));
        }
        return parts.size() == 1 ? parts.get(0) : new FilterNode.Junction(false, parts);
    }

    private FilterNode and(int depth) {
        List<FilterNode> parts = new ArrayList<>();
        parts.add(primary(depth));
        while (peek().type() == Type.AND || peek().isWord("AND")) {
            next++;
            parts.add(primary(depth));
        }
        return parts.size() == 1 ? parts.get(0) : new FilterNode.Junction(true, parts);
    }

    private FilterNode primary(int depth) {
        FilterToken token = take();
        if (token.type() == Type.OPEN) {
            if (depth >= MAX_DEPTH) {
                throw Refusals.invalidFilter("nested deeper than " + MAX_DEPTH + " parentheses");
            }
            FilterNode inner = or(depth + 1);
            expect(Type.CLOSE, "\")\" to close the \"(\" at position " + token.position());
            return inner;
        }
        if (token.type() != Type.WORD) {
            throw Refusals.invalidFilter("expected a column name or \"(\", found " + token.describe());
        }
        FilterToken operator = take();
        if (operator.isWord("IN")) {
            return in(token);
        }
        if (operator.type() != Type.OPERATOR) {
            throw Refusals.invalidFilter("expected an operator (= != > < >= <= ~ !~ IN) after "
                    + Refusals.quote(token.text()) + ", found " + operator.describe());
        }
        return new FilterNode.Comparison(token.text(), FilterNode.Operator.ofSymbol(operator.text()),
                value(), token.position());
    }

    private FilterNode in(FilterToken column) {
        expect(Type.OPEN, "\"(\" after IN");
        List<Literal> values = new ArrayList<>();
        values.add(value());
        while (peek().type() == Type.COMMA) {
            next++;
            if (values.size() == MAX_IN_VALUES) {
                throw Refusals.invalidFilter("more than " + MAX_IN_VALUES
                        + " values in the IN list at position " + column.position());
            }
            values.add(value());
        }
        expect(Type.CLOSE, "\",\" or \")\" in the IN list");
        return new FilterNode.In(column.text(), values, column.position());
    }

    private Literal value() {
        FilterToken token = take();
        switch (token.type()) {
            case STRING:
                return new Literal(Literal.Kind.STRING, token.text());
            case NUMBER:
                return new Literal(Literal.Kind.NUMBER, token.text());
            case WORD:
                if (token.isWord("true") || token.isWord("false")) {
                    return new Literal(Literal.Kind.BOOLEAN, token.text().toLowerCase(Locale.ROOT));
                }
                if (token.isWord("null")) {
                    return new Literal(Literal.Kind.NULL, "null");
                }
                break;
            default:
                break;
        }
        throw Refusals.invalidFilter("expected a value (a quoted string, a number, true, false or null), found "
                + token.describe());
    }

    private void expect(Type type, String what) {
        FilterToken token = take();
        if (token.type() != type) {
            throw Refusals.invalidFilter("expected " + what + ", found " + token.describe());
        }
    }

    private FilterToken peek() {
        return tokens.get(next);
    }

    /** The next token; END stays put, so reading past the end keeps answering END. */
    private FilterToken take() {
        FilterToken token = tokens.get(next);
        if (token.type() != Type.END) {
            next++;
        }
        return token;
    }
}
