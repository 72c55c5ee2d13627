package dev.ayb.matviews.servlet.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;

/** An HTTP answer as the tests read it. */
record Reply(int status, HttpHeaders headers, String body) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Longer messages are not "clear"; the longest legitimate ones quote 80 escaped characters. */
    static final int MAX_MESSAGE_LENGTH = 1000;

    JsonNode json() {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
        }
    }

    boolean isJson() {
        return header("Content-Type") != null && header("Content-Type").startsWith("application/json");
    }

    String message() {
        return json().path("message").asText();
    }

    String error() {
        return json().path("error").asText();
    }

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    /**
     * Null when this is a proper refusal: a 4xx whose body, when the servlet wrote it, is the API's error
     * shape with a clear message (its status, a non-blank printable one-line message of bounded length, a
     * stable error name). Otherwise what is wrong with it.
     */
    String refusalProblem() {
        if (status < 400 || status > 499) {
            return "status " + status + " is not a 4xx";
        }
        if (!isJson() || body.isEmpty()) {
            // Refused by Jetty before the servlet saw it (e.g. an ambiguous encoded path), or a HEAD: still a 4xx.
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

    @Override
    public String toString() {
        return status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
}
