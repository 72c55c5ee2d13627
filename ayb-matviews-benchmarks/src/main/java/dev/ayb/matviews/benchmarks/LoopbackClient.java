package dev.ayb.matviews.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benchmarks' HTTP/1.1 client: one kept-alive socket, one request at a time, blocking, on the calling
 * thread. Client, server and PostgreSQL share the machine's cores, so whatever the client burns is taken
 * from the server being measured; {@code java.net.http.HttpClient} hands every exchange between its
 * selector thread and the caller, which on two cores cost a large share of each request and most of the
 * latency tail. This client does the least HTTP allows: write the request, read the status line, the
 * headers and the whole body ({@code Content-Length} or chunked). Not thread-safe: one per load thread.
 */
final class LoopbackClient implements AutoCloseable {
    private final URI base;
    private final String authorization;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LoopbackClient(URI base, String token) {
        this.base = base;
        this.authorization = "Bearer " + token;
    }

    byte[] get(String pathAndQuery, int expectedStatus) throws IOException {
        return send("GET", pathAndQuery, expectedStatus);
    }

    byte[] post(String pathAndQuery, int expectedStatus) throws IOException {
        return send("POST", pathAndQuery, expectedStatus);
    }

    /** Sends the request and reads the whole answer; a connection the server closed is opened again once. */
    private byte[] send(String method, String pathAndQuery, int expectedStatus) throws IOException {
        byte[] request = (method + " " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: " + authorization + "\r\nAccept: application/json\r\n"
                + ("POST".equals(method) ? "Content-Length: 0\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
        Answer answer;
        try {
            answer = exchange(request);
        } catch (IOException staleConnection) {
            close();
            answer = exchange(request);
        }
        if (answer.status() != expectedStatus) {
            throw new IllegalStateException(method + " " + pathAndQuery + " answered " + answer.status()
                    + " instead of " + expectedStatus + ": " + new String(answer.body(), StandardCharsets.UTF_8));
        }
        return answer.body();
    }

    private Answer exchange(byte[] request) throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
        out.write(request);
        out.flush();
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before an answer");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean closeAfter = false;
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        byte[] body = chunked ? chunkedBody() : in.readNBytes((int) Math.max(contentLength, 0));
        if (closeAfter) {
            close();
        }
        return new Answer(status, body);
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        while (true) {
            String sizeLine = line();
            if (sizeLine == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt(semicolon < 0 ? sizeLine.trim() : sizeLine.substring(0, semicolon).trim(), 16);
            if (size == 0) {
                // Trailers, if any, end with an empty line.
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    continue;
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    /** A CRLF-terminated line without its terminator; null at the end of the stream. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing is left to read from a socket being thrown away.
            }
            socket = null;
        }
    }

    private record Answer(int status, byte[] body) {
    }
}
