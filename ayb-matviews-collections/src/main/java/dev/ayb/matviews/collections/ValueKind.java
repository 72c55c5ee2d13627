package dev.ayb.matviews.collections;

/**
 * What a column holds, as reads, writers and filters need to know it: decided from the column's base type in
 * the catalog (a domain counts as its base type), never from the request.
 */
public enum ValueKind {
    /** int2, int4, int8, oid: JSON integers. */
    INTEGER,
    /** numeric: JSON numbers written digit for digit, never through a double; NaN and infinities as strings. */
    NUMERIC,
    FLOAT4,
    FLOAT8,
    BOOLEAN,
    /** An instant, written in UTC as ISO-8601 ({@code 2026-02-22T10:00:00Z}). */
    TIMESTAMPTZ,
    /** A local date-time, ISO-8601 without zone ({@code 2026-02-22T10:00:00}). */
    TIMESTAMP,
    DATE,
    /** json and jsonb: embedded as JSON, not as a string. */
    JSON,
    /** Any array: converted by PostgreSQL's {@code array_to_json}, so nested values keep their JSON types. */
    ARRAY,
    /**
     * Character strings (text, varchar, char(n), name, citext: category {@code S}): a string, compared with
     * the type's own operators, LIKE included; a request value for them is never read as a date or time.
     */
    CHARACTER,
    /** Everything else (uuid, enums, intervals, bit strings...): PostgreSQL's text form, as a string. */
    TEXT;

    /**
     * @param typeName the base type's {@code pg_type.typname}
     * @param category the base type's {@code pg_type.typcategory} ({@code A} for arrays, {@code S} for strings)
     */
    public static ValueKind of(String typeName, String category) {
        if ("A".equals(category)) {
            return ARRAY;
        }
        if ("S".equals(category)) {
            return CHARACTER;
        }
        return switch (typeName == null ? "" : typeName) {
            case "int2", "int4", "int8", "oid" -> INTEGER;
            case "numeric" -> NUMERIC;
            case "float4" -> FLOAT4;
            case "float8" -> FLOAT8;
            case "bool" -> BOOLEAN;
            case "timestamptz" -> TIMESTAMPTZ;
            case "timestamp" -> TIMESTAMP;
            case "date" -> DATE;
            case "json", "jsonb" -> JSON;
            default -> TEXT;
        };
    }
}
