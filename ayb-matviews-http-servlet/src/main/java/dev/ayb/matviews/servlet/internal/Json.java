package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * JSON on the HTTP side: request bodies, the list and error envelopes, writing. The values themselves
 * are mapped by {@link dev.ayb.matviews.json.WireJson}, shared with the command line.
 */
public final class Json {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder()
            // A body such as {"viewName":"a","viewName":"b"} or {...} {...} is ambiguous: refuse it.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Keeps the request's key order, and its {@code null} values, which {@code Map.of} would refuse. */
    private static final TypeReference<LinkedHashMap<String, Object>> PAYLOAD_MAP = new TypeReference<>() {
    };

    private Json() {
    }

    /** A request's JSON object as the plain map the core stores as a job payload. */
    public static Map<String, Object> toMap(ObjectNode object) {
        return MAPPER.convertValue(object, PAYLOAD_MAP);
    }

    /** {@code {"items": [...], "count": n}}, the original's shape for every list. */
    public static <T> ObjectNode list(List<T> values, Function<T, ObjectNode> toJson) {
        ObjectNode json = NODES.objectNode();
        ArrayNode items = json.putArray("items");
        values.forEach(value -> items.add(toJson.apply(value)));
        json.put("count", values.size());
        return json;
    }

    /**
     * A page of a longer list, with the collections API's field names and order: {@code page},
     * {@code perPage}, {@code totalItems}, {@code totalPages}, {@code items}.
     */
    public static <T> ObjectNode page(int page, int perPage, long totalItems, long totalPages, List<T> values,
                                      Function<T, ObjectNode> toJson) {
        ObjectNode json = NODES.objectNode();
        json.put("page", page);
        json.put("perPage", perPage);
        json.put("totalItems", totalItems);
        json.put("totalPages", totalPages);
        ArrayNode items = json.putArray("items");
        values.forEach(value -> items.add(toJson.apply(value)));
        return json;
    }

    /** {@code {"code": status, "message": ..., "error": name}}: the original's two fields and a stable name. */
    public static ObjectNode error(int status, String errorName, String message) {
        ObjectNode json = NODES.objectNode();
        json.put("code", status);
        json.put("message", message);
        json.put("error", errorName);
        return json;
    }

    /** Parses a request body that must be one JSON object. */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(body);
        } catch (IOException e) {
            // Jackson's parse errors are IOExceptions; there is no other I/O on a byte array.
            throw ApiException.invalidJson();
        }
        if (!(parsed instanceof ObjectNode object)) {
            throw ApiException.invalidJson();
        }
        return object;
    }

    public static byte[] write(JsonNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

}
