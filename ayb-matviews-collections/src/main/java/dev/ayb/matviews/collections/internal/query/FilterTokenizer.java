package dev.ayb.matviews.collections.internal.query;

import dev.ayb.matviews.collections.internal.query.FilterToken.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter into tokens. Only ASCII is accepted outside string literals, so a look-alike character
 * (a fullwidth letter, a Cyrillic {@code а}) can never pass for a column name or an operator; NUL is refused
 * everywhere, since PostgreSQL cannot store it in text anyway.
 */
final class FilterTokenizer {
    private final String filter;
    private int at;

    private FilterTokenizer(String filter) {
        this.filter = filter;
    }

    static List<FilterToken> tokenize(String filter) {
        return new FilterTokenizer(filter).all();
    }

    private List<FilterToken> all() {
        List<FilterToken> tokens = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (at >= filter.length()) {
                tokens.add(new FilterToken(Type.END, "", at));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipWhitespace() {
        while (at < filter.length() && " \t\r\n".indexOf(filter.charAt(at)) >= 0) {
            at++;
        }
    }

    private FilterToken next() {
        int start = at;
        char c = filter.charAt(at);
        if (c == '\'' || c == '"') {
            return string(c);
        }
        if (isDigit(c) || (c == '-' && at + 1 < filter.length() && isDigit(filter.charAt(at + 1)))) {
            return number();
        }
        if (isWordStart(c)) {
            while (at < filter.length() && isWordPart(filter.charAt(at))) {
                at++;
            }
            return new FilterToken(Type.WORD, filter.substring(start, at), start);
        }
        switch (c) {
            case '(':
                at++;
                return new FilterToken(Type.OPEN, "(", start);
            case ')':
                at++;
                return new FilterToken(Type.CLOSE, ")", start);
            case ',':
                at++;
                return new FilterToken(Type.COMMA, ",", start);
            case '&':
            case '|':
                if (at + 1 < filter.length() && filter.charAt(at + 1) == c) {
                    at += 2;
                    return new FilterToken(c == '&' ? Type.AND : Type.OR, c == '&' ? "&&" : "||", start);
                }
                throw Refusals.invalidFilter("unexpected " + Refusals.quote(String.valueOf(c))
                        + " at position " + start + " (use " + c + c + " or " + (c == '&' ? "AND" : "OR") + ")");
            case '=':
            case '~':
                at++;
                return new FilterToken(Type.OPERATOR, String.valueOf(c), start);
            case '!':
            case '>':
            case '<':
                return comparison(c);
            default:
                throw unexpected(c, start);
        }
    }

    /** {@code != !~ > >= < <=}; a lone {@code !} is not an operator. */
    private FilterToken comparison(char first) {
        int start = at++;
        char second = at < filter.length() ? filter.charAt(at) : 0;
        if (second == '=' || (first == '!' && second == '~')) {
            at++;
            return new FilterToken(Type.OPERATOR, "" + first + second, start);
        }
        if (first == '!') {
            throw Refusals.invalidFilter("unexpected \"!\" at position " + start + " (use != or !~)");
        }
        return new FilterToken(Type.OPERATOR, String.valueOf(first), start);
    }

    /** Quoted by ' or "; a backslash makes the next character literal, so {@code 'it\'s'} is {@code it's}. */
    private FilterToken string(char quote) {
        int start = at++;
        StringBuilder value = new StringBuilder();
        while (at < filter.length()) {
            char c = filter.charAt(at++);
            if (c == quote) {
                return new FilterToken(Type.STRING, value.toString(), start);
            }
            if (c == '\\' && at < filter.length()) {
                c = filter.charAt(at++);
            }
            if (c == 0) {
                throw Refusals.invalidFilter("NUL character in the string at position " + start);
            }
            value.append(c);
        }
        throw Refusals.invalidFilter("the string at position " + start + " is not closed");
    }

    /** {@code -12}, {@code 3.25}, {@code 1e-3}; PostgreSQL checks that it fits the column's type. */
    private FilterToken number() {
        int start = at;
        if (filter.charAt(at) == '-') {
            at++;
        }
        digits();
        if (at < filter.length() && filter.charAt(at) == '.') {
            at++;
            requireDigit(start);
            digits();
        }
        if (at < filter.length() && (filter.charAt(at) == 'e' || filter.charAt(at) == 'E')) {
            at++;
            if (at < filter.length() && (filter.charAt(at) == '+' || filter.charAt(at) == '-')) {
                at++;
            }
            requireDigit(start);
            digits();
        }
        if (at < filter.length() && isWordPart(filter.charAt(at))) {
            throw Refusals.invalidFilter("malformed number " + Refusals.quote(
                    filter.substring(start, Math.min(filter.length(), at + 1))) + " at position " + start);
        }
        return new FilterToken(Type.NUMBER, filter.substring(start, at), start);
    }

    private void digits() {
        while (at < filter.length() && isDigit(filter.charAt(at))) {
            at++;
        }
    }

    private void requireDigit(int start) {
        if (at >= filter.length() || !isDigit(filter.charAt(at))) {
            throw Refusals.invalidFilter("malformed number " + Refusals.quote(
                    filter.substring(start, Math.min(filter.length(), at + 1))) + " at position " + start);
        }
    }

    private static RuntimeException unexpected(char c, int position) {
        String shown = c < 0x20 || c == 0x7f || c > 0x7e
                ? String.format("character U+%04X", (int) c) : Refusals.quote(String.valueOf(c));
        return Refusals.invalidFilter("unexpected " + shown + " at position " + position);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isWordPart(char c) {
        return isWordStart(c) || isDigit(c);
    }
}
