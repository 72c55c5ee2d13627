package dev.ayb.matviews.testkit.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

/** An HTTP answer as the tests read it: status, headers, body, and the API's error fields from the body. */
public record Reply(int status, HttpHeaders headers, String body) {
    /** Longer messages are not "clear"; the longest legitimate ones quote 80 escaped characters. */
    public static final int MAX_MESSAGE_LENGTH = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
        }
    }

    public boolean isJson() {
        String contentType = header("Content-Type");
        return contentType != null && contentType.startsWith("application/json");
    }

    /** The error body's {@code message}. */
    public String message() {
        return json().path("message").asText();
    }

    /** The error body's stable {@code error} name. */
    public String error() {
        return json().path("error").asText();
    }

    /** The header's first value, or null when the answer has none. */
    public @Nullable String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /**
     * Null when this is a proper refusal: a 4xx whose body, when the servlet wrote it, is the API's error
     * shape with a clear message (its status, a non-blank printable one-line message of bounded length, a
     * stable error name). Otherwise what is wrong with it.
     */
    public @Nullable String refusalProblem() {
        if (status < 400 || status > 499) {
            return "status " + status + " is not a 4xx";
        }
        if (!isJson() || body.isEmpty()) {
            // Refused by the container before the servlet saw it (e.g. an ambiguous encoded path), or a HEAD:
            // still a 4xx.
            return null;
        }
        JsonNode json = json();
        String message = json.path("message").asText("");
        if (json.path("code").asInt() != status) {
            return "code " + json.path("code") + " differs from the status " + status;
        }
        if (message.isBlank() || message.length() > MAX_MESSAGE_LENGTH
                || message.chars().anyMatch(Character::isISOControl)) {
            return "unclear message: " + message;
        }
        if (json.path("error").asText("").isBlank()) {
            return "no error name";
        }
        return null;
    }

    /** Status and body, the body cut short so a failed assertion over many replies stays readable. */
    @Override
    public String toString() {
        return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
}
