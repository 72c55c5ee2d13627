package dev.ayb.matviews.servlet.internal.collections;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.RawJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code {"page", "perPage", "totalItems", "totalPages", "items": [{column: value...}], "nextCursor"}}, streamed
 * straight from the rows rather than through a tree. BigDecimals are written plain and digit for digit
 * ({@code 12345678901234567890.12345678901234567890}, never {@code 1.2E+19} or a double); json/jsonb and
 * arrays are embedded as the JSON PostgreSQL produced. {@code nextCursor} is present for views with a unique
 * key (null on the last page) and absent for others.
 */
final class JsonPageWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private JsonPageWriter() {
    }

    static byte[] write(CollectionPage page) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + page.rows().size() * 128);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("page", page.page());
            json.writeNumberField("perPage", page.perPage());
            json.writeNumberField("totalItems", page.totalItems());
            json.writeNumberField("totalPages", page.totalPages());
            json.writeArrayFieldStart("items");
            SerializedString[] names = names(page.fields());
            for (List<Object> row : page.rows()) {
                json.writeStartObject();
                for (int i = 0; i < names.length; i++) {
                    json.writeFieldName(names[i]);
                    value(json, row.get(i));
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            if (page.cursorPaging()) {
                json.writeStringField("nextCursor", page.nextCursor());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /** The names escaped and encoded once per page, not once per row. */
    private static SerializedString[] names(List<CollectionColumn> fields) {
        SerializedString[] names = new SerializedString[fields.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = new SerializedString(fields.get(i).name());
        }
        return names;
    }

    private static void value(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            json.writeNumber(number);
        } else if (value instanceof Float number) {
            json.writeNumber(number);
        } else if (value instanceof Double number) {
            json.writeNumber(number);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof RawJson raw) {
            json.writeRawValue(raw.text());
        } else {
            json.writeString(value.toString());
        }
    }
}
