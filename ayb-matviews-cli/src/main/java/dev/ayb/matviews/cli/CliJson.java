package dev.ayb.matviews.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON of {@code --json}: the values are mapped by {@link dev.ayb.matviews.json.WireJson}, the same
 * mapping as the admin HTTP API, so a script can switch between the two. Lists are plain arrays here
 * (what {@code jq '.[]'} expects), where the HTTP API wraps them in {@code {"items", "count"}}.
 */
final class CliJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final JsonMapper MAPPER = JsonMapper.builder()
            // {"view_name": "a", "view_name": "b"} or two documents in one argument are ambiguous: refuse.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private CliJson() {
    }

    /** A plain array: what {@code jq '.[]'} expects from a list command. */
    static <T> ArrayNode array(List<T> values, Function<T, ObjectNode> toJson) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(value -> array.add(toJson.apply(value)));
        return array;
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Indented, for people; any JSON tool reads it just as well. */
    static String write(JsonNode json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** On one line, e.g. a job's payload in a table cell. */
    static String compact(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payload read from JSON always serializes", e);
        }
    }

    /**
     * Parses text that must be exactly one JSON object.
     *
     * @throws IllegalArgumentException saying what is wrong, for the usage error
     */
    static Map<String, Object> parseObject(String text) {
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("is not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        return MAPPER.convertValue(parsed, OBJECT);
    }

}
