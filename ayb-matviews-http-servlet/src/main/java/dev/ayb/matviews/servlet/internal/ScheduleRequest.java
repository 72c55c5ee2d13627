package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.jobs.ScheduleSpec;
import java.util.Map;

/**
 * The body of {@code POST}, {@code PUT} and {@code PATCH /api/admin/schedules...}: {@code name, jobType,
 * cronExpr, timezone, payload, enabled, maxAttempts}, each optional. Only JSON types are checked here (a
 * field of the wrong type is a 400 naming it); a field left out or {@code null} reaches the core as
 * {@code null}, which on create means "required or defaulted" and on update means "unchanged", so every
 * rule and message about the values themselves stays the core's. Other fields (the read-only ones a client
 * may send back from a GET) are ignored.
 */
final class ScheduleRequest {
    private ScheduleRequest() {
    }

    static ScheduleSpec from(ObjectNode body) {
        return new ScheduleSpec(
                JsonFields.text(body, "name").orElse(null),
                JsonFields.text(body, "jobType").orElse(null),
                JsonFields.text(body, "cronExpr").orElse(null),
                JsonFields.text(body, "timezone").orElse(null),
                payload(body),
                enabled(body),
                maxAttempts(body));
    }

    private static Map<String, Object> payload(ObjectNode body) {
        JsonNode value = body.get("payload");
        if (isAbsent(value)) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw JsonFields.invalid("payload must be a JSON object");
        }
        return Json.toMap(object);
    }

    private static Boolean enabled(ObjectNode body) {
        JsonNode value = body.get("enabled");
        if (isAbsent(value)) {
            return null;
        }
        if (!value.isBoolean()) {
            throw JsonFields.invalid("enabled must be a boolean");
        }
        return value.booleanValue();
    }

    /** Any integer that fits; the allowed range is the core's rule. */
    private static Integer maxAttempts(ObjectNode body) {
        JsonNode value = body.get("maxAttempts");
        if (isAbsent(value)) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw JsonFields.invalid("maxAttempts must be an integer");
        }
        return value.intValue();
    }

    private static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull();
    }
}
