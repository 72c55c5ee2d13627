package dev.ayb.matviews;

import org.jspecify.annotations.Nullable;

/**
 * A materialized view's schema and name, both validated identifiers. Two names are equal only when
 * both parts match exactly: PostgreSQL identifiers are case-sensitive once quoted, and the library
 * always quotes them.
 */
public record QualifiedName(String schema, String view) implements Comparable<QualifiedName> {
    public static final String DEFAULT_SCHEMA = "public";

    public QualifiedName {
        IdentifierValidator.validate(schema);
        IdentifierValidator.validate(view);
    }

    public static QualifiedName of(@Nullable String schema, String view) {
        return new QualifiedName(schema == null || schema.isEmpty() ? DEFAULT_SCHEMA : schema, view);
    }

    /** Parses {@code schema.view}, or {@code view} in the {@code public} schema. */
    public static QualifiedName parse(@Nullable String text) {
        if (text == null) {
            throw new MatviewException(ErrorCode.INVALID_IDENTIFIER, "invalid identifier: \"\"");
        }
        int dot = text.indexOf('.');
        if (dot < 0) {
            return new QualifiedName(DEFAULT_SCHEMA, text);
        }
        return new QualifiedName(text.substring(0, dot), text.substring(dot + 1));
    }

    /** {@code "schema"."view"}: the only form in which a view name is ever written into SQL. */
    public String quoted() {
        return IdentifierValidator.quote(schema) + '.' + IdentifierValidator.quote(view);
    }

    @Override
    public int compareTo(QualifiedName other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : view.compareTo(other.view);
    }

    @Override
    public String toString() {
        return schema + '.' + view;
    }
}
