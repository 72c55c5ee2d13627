package dev.ayb.matviews.servlet.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/** Writes an {@link ApiResponse} with the headers every answer carries, errors included. */
public final class ResponseWriter {
    private ResponseWriter() {
    }

    public static void write(ApiResponse answer, HttpServletResponse response) throws IOException {
        response.setStatus(answer.status());
        // Registrations and errors describe live state and may be private to admins: never cache them.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        answer.headers().forEach(response::setHeader);
        if (answer.body() == null) {
            return;
        }
        byte[] body = Json.write(answer.body());
        response.setContentType("application/json");
        response.setContentLength(body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(body);
        }
    }
}
