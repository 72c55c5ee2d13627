package dev.ayb.matviews.servlet.internal.collections;

/**
 * JSON text PostgreSQL produced (a json/jsonb value, or {@code array_to_json} of an array): valid by the
 * type's own rule, so it is embedded as it is, with every number exactly as stored.
 */
record RawJson(String text) {
}
