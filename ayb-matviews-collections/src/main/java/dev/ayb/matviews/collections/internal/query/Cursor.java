package dev.ayb.matviews.collections.internal.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.ayb.matviews.collections.SortKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where the next page starts: the sort-key values of the last row served (as PostgreSQL's text form, so
 * they cast back to the column's type exactly), the order they belong to, and the number of the page it
 * leads to. Opaque to clients: base64url of a small JSON object.
 *
 * <p>Not signed: a forged cursor can only name a position in the same view with the same order, which any
 * caller may ask for anyway; its values are bind parameters like a filter's, and a value that does not fit
 * the column's type is a 400. Unsigned cursors also survive restarts and work across instances.
 *
 * @param order the order's {@link #orderSpec}; a cursor is refused under another order
 * @param keys  one value per sort key, null for SQL NULL
 * @param page  the page number the cursor leads to, reported back as {@code page}
 */
public record Cursor(String order, List<String> keys, int page) {
    /** Longer cursors are refused unread; real ones are a few hundred bytes unless keys are long texts. */
    public static final int MAX_LENGTH = 4096;

    /** Duplicate names are refused, so a cursor has one reading only. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public Cursor {
        Objects.requireNonNull(order, "order");
        // Not List.copyOf: a key may be null.
        keys = Collections.unmodifiableList(new ArrayList<>(keys));
        if (page < 1) {
            throw new IllegalArgumentException("page must be positive");
        }
    }

    /** {@code -total_minutes,+id}: how a cursor records the order it was made for. */
    public static String orderSpec(List<SortKey> order) {
        return order.stream().map(key -> (key.descending() ? "-" : "+") + key.column().name())
                .collect(Collectors.joining(","));
    }

    public String encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("o", order);
            json.writeArrayFieldStart("k");
            for (String key : keys) {
                json.writeString(key);
            }
            json.writeEndArray();
            json.writeNumberField("p", page);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * @throws dev.ayb.matviews.MatviewException {@code INVALID_CURSOR} for anything but a cursor
     *         {@link #encode} wrote: an object with exactly a text {@code o}, an array {@code k} of texts and
     *         nulls, and a positive int {@code p}, each once, and nothing after it
     */
    public static Cursor decode(String text) {
        if (text.length() > MAX_LENGTH) {
            throw Refusals.invalidCursor("longer than " + MAX_LENGTH + " characters");
        }
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        try (JsonParser parser = JSON.createParser(json)) {
            Cursor cursor = read(parser);
            if (cursor == null || parser.nextToken() != null) {
                throw malformed();
            }
            return cursor;
        } catch (IOException e) {
            throw malformed();
        }
    }

    /** The object's three fields, or null when it is not the object a cursor is. */
    private static Cursor read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String order = null;
        List<String> keys = null;
        Integer page = null;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "o" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    order = parser.getText();
                }
                case "k" -> {
                    keys = value == JsonToken.START_ARRAY ? keys(parser) : null;
                    if (keys == null) {
                        return null;
                    }
                }
                case "p" -> {
                    if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                            || parser.getIntValue() < 1) {
                        return null;
                    }
                    page = parser.getIntValue();
                }
                default -> {
                    return null;
                }
            }
        }
        return order == null || keys == null || page == null ? null : new Cursor(order, keys, page);
    }

    /** The array's texts and nulls; null when it holds anything else. */
    private static List<String> keys(JsonParser parser) throws IOException {
        List<String> keys = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == JsonToken.VALUE_NULL) {
                keys.add(null);
            } else if (token == JsonToken.VALUE_STRING) {
                keys.add(parser.getText());
            } else {
                return null;
            }
        }
        return keys;
    }

    private static RuntimeException malformed() {
        return Refusals.invalidCursor("not a cursor this API issued (pass nextCursor back unchanged)");
    }
}
