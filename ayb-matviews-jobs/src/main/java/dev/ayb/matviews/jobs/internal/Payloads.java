package dev.ayb.matviews.jobs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Job payloads between Java maps and the jsonb column. */
final class Payloads {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private Payloads() {
    }

    static String toJson(Map<String, Object> payload) {
        try {
            return MAPPER.writeValueAsString(payload == null ? Map.of() : payload);
        } catch (JsonProcessingException e) {
            throw new MatviewException(ErrorCode.INVALID_PAYLOAD, "payload is not serialisable as JSON: "
                    + e.getOriginalMessage());
        }
    }

    static Map<String, Object> fromJson(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Collections.unmodifiableMap(MAPPER.readValue(json, MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("payload column holds invalid JSON", e);
        }
    }
}
