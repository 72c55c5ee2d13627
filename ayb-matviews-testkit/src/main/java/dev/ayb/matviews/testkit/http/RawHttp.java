package dev.ayb.matviews.testkit.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request on its own connection, written byte for byte as given. The authentication tests use it so that
 * no two credentials ever share a connection: Jetty keeps a per-connection cache of header values that matches
 * case-insensitively, so a value sent after a similar one on the same connection can reach the servlet as the
 * earlier one's spelling — a container behaviour, not the servlet's, that would blur what each attempt tests.
 */
public final class RawHttp {
    /** How long a test waits for the whole answer before the read fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private RawHttp() {
    }

    /** @param headers header lines as sent, e.g. {@code Authorization: Bearer x}; Host and Connection are added */
    public static Reply send(int port, String method, String path, List<String> headers,
                             @Nullable String body) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            out.write(content);
            out.flush();
            return parse(socket.getInputStream().readAllBytes(), method);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    private static Reply parse(byte[] response, String method) throws IOException {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), key -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] raw = Arrays.copyOfRange(response, end + 4, response.length);
        boolean chunked = headers.entrySet().stream().anyMatch(header -> header.getKey().equalsIgnoreCase(
                "Transfer-Encoding") && header.getValue().get(0).toLowerCase(Locale.ROOT).contains("chunked"));
        byte[] body = method.equals("HEAD") ? new byte[0] : chunked ? dechunk(raw) : raw;
        return new Reply(status, HttpHeaders.of(headers, (name, value) -> true),
                new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(raw);
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    return out.toByteArray();
                }
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int length = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
            if (length == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(length));
            in.readNBytes(2);
        }
    }
}
