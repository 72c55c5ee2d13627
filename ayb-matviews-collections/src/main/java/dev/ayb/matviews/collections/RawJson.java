package dev.ayb.matviews.collections;

import java.util.Objects;

/**
 * JSON text PostgreSQL produced (a json/jsonb value, or {@code array_to_json} of an array): valid by the
 * type's own rule, so it can be embedded in a JSON answer as it is, with every number exactly as stored.
 */
public record RawJson(String text) {
    public RawJson {
        Objects.requireNonNull(text, "text");
    }
}
