package dev.ayb.matviews.servlet.internal.collections;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where the next page starts: the sort-key values of the last row served (as PostgreSQL's text form, so
 * they cast back to the column's type exactly), the order they belong to, and the number of the page it
 * leads to. Opaque to clients: base64url of a small JSON object.
 *
 * <p>Not signed: a forged cursor can only name a position in the same view with the same order, which any
 * caller may ask for anyway; its values are bind parameters like a filter's, and a value that does not fit
 * the column's type is a 400. Unsigned cursors also survive restarts and work across instances.
 *
 * @param order the order's {@link SortKey#spec}; a cursor is refused under another order
 * @param keys  one value per sort key, null for SQL NULL
 * @param page  the page number the cursor leads to, reported back as {@code page}
 */
record Cursor(String order, List<String> keys, int page) {
    /** Longer cursors are refused unread; real ones are a few hundred bytes unless keys are long texts. */
    static final int MAX_LENGTH = 4096;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Set<String> FIELDS = Set.of("o", "k", "p");

    Cursor {
        Objects.requireNonNull(order, "order");
        // Not List.copyOf: a key may be null.
        keys = Collections.unmodifiableList(new ArrayList<>(keys));
        if (page < 1) {
            throw new IllegalArgumentException("page must be positive");
        }
    }

    String encode() {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("o", order);
        ArrayNode values = json.putArray("k");
        keys.forEach(values::add);
        json.put("p", page);
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MAPPER.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** @throws dev.ayb.matviews.servlet.internal.ApiException 400 {@code invalid_cursor} for anything else */
    static Cursor decode(String text) {
        if (text.length() > MAX_LENGTH) {
            throw CollectionErrors.invalidCursor("longer than " + MAX_LENGTH + " characters");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(Base64.getUrlDecoder().decode(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException | IOException e) {
            throw malformed();
        }
        if (!(json instanceof ObjectNode object) || !FIELDS.containsAll(fieldNames(object))
                || !object.path("o").isTextual() || !object.path("k").isArray()
                || !object.path("p").isIntegralNumber() || !object.path("p").canConvertToInt()
                || object.path("p").intValue() < 1) {
            throw malformed();
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode key : object.get("k")) {
            if (!key.isTextual() && !key.isNull()) {
                throw malformed();
            }
            keys.add(key.isNull() ? null : key.textValue());
        }
        return new Cursor(object.get("o").textValue(), keys, object.get("p").intValue());
    }

    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static RuntimeException malformed() {
        return CollectionErrors.invalidCursor("not a cursor this API issued (pass nextCursor back unchanged)");
    }
}
