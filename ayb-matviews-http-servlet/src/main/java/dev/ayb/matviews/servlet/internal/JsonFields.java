package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import java.time.Duration;
import java.util.Optional;

/** Typed reads of request fields; a field of the wrong JSON type is a 400 that names the field. */
final class JsonFields {
    private JsonFields() {
    }

    /** The string value; empty when the field is absent or {@code null}. */
    static Optional<String> text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(field + " must be a string");
        }
        return Optional.of(value.textValue());
    }

    /** The boolean value; empty when the field is absent or {@code null}. */
    static Optional<Boolean> flag(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw invalid(field + " must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /**
     * A per-view timeout the body may set (a positive number of milliseconds), clear ({@code null}) or
     * leave out.
     */
    static TimeoutSetting timeout(ObjectNode body, String field) {
        return millis(body, field);
    }

    /**
     * A per-view duration in milliseconds (a timeout, the target lag) that the body may set (a positive number),
     * clear ({@code null}) or leave out.
     */
    static TimeoutSetting millis(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null) {
            return TimeoutSetting.UNCHANGED;
        }
        if (value.isNull()) {
            return TimeoutSetting.CLEARED;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 1) {
            throw invalid(field + " must be a positive integer (milliseconds) or null");
        }
        return TimeoutSetting.of(Duration.ofMillis(value.longValue()));
    }

    static MatviewException invalid(String message) {
        return new MatviewException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** What a request does to one timeout: leaves it, clears it, or sets it. */
    record TimeoutSetting(boolean given, Duration value) {
        static final TimeoutSetting UNCHANGED = new TimeoutSetting(false, null);
        static final TimeoutSetting CLEARED = new TimeoutSetting(true, null);

        static TimeoutSetting of(Duration value) {
            return new TimeoutSetting(true, value);
        }

        Duration applyTo(Duration current) {
            return given ? value : current;
        }
    }
}
