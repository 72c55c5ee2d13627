package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a request body that must be one JSON object, never holding more than the limit in memory: a
 * declared length over it is refused before reading, and a chunked body is cut off one byte past it.
 */
final class JsonBodyReader {
    private JsonBodyReader() {
    }

    static ObjectNode readObject(HttpServletRequest request, int maxBytes) {
        requireJson(request.getContentType());
        if (request.getContentLengthLong() > maxBytes) {
            throw ApiException.tooLarge(maxBytes);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw ApiException.unreadableBody();
        }
        if (body.length > maxBytes) {
            throw ApiException.tooLarge(maxBytes);
        }
        return Json.parseObject(body);
    }

    /** No Content-Type is taken as JSON (curl -d without -H); any other than application/json is refused. */
    static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
        if (!mediaType.toLowerCase(Locale.ROOT).equals("application/json")) {
            throw ApiException.unsupportedMediaType();
        }
    }
}
