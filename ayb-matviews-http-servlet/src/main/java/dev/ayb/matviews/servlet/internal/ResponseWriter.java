package dev.ayb.matviews.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/** Writes an {@link ApiResponse} with the headers every answer carries, errors included. */
public final class ResponseWriter {
    private ResponseWriter() {
    }

    public static void write(ApiResponse answer, HttpServletResponse response) throws IOException {
        write(answer, response, true);
    }

    /**
     * @param withBody false for {@code HEAD}: every header of the {@code GET} answer, including its
     *                 {@code Content-Length}, but no body
     */
    public static void write(ApiResponse answer, HttpServletResponse response, boolean withBody) throws IOException {
        response.setStatus(answer.status());
        // Registrations and errors describe live state and may be private to admins: never cache them.
        // A route may override this with its own Cache-Control header.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        answer.headers().forEach(response::setHeader);
        byte[] body;
        if (answer.encoded() != null) {
            body = answer.encoded().bytes();
            response.setContentType(answer.encoded().contentType());
        } else if (answer.body() != null) {
            body = Json.write(answer.body());
            response.setContentType("application/json");
        } else {
            return;
        }
        response.setContentLength(body.length);
        if (!withBody) {
            return;
        }
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }
}
