package dev.ayb.matviews.testkit.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls the admin API the way an operator's script would: HTTP/1.1, {@code Authorization: Bearer <token>} on
 * every request but {@link #unauthenticated}, paths resolved against the server's root. It speaks only HTTP;
 * whoever mounts the servlet passes its address, and may extend this class to stop the server on close.
 */
public class AdminClient {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    private final URI root;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    /** @param root e.g. {@code http://127.0.0.1:8080}; request paths include any context path */
    public AdminClient(URI root, String token) {
        this(root, token, DEFAULT_TIMEOUT);
    }

    /** @param timeout for connecting and for each request's answer */
    public AdminClient(URI root, String token, Duration timeout) {
        this.root = root;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /** A fresh admin token: 24 random bytes in hex. */
    public static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A path segment or query value, percent-encoded (spaces as {@code %20}, not {@code +}). */
    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String token() {
        return token;
    }

    public int port() {
        return root.getPort();
    }

    public Duration timeout() {
        return timeout;
    }

    /** The root followed by the path, which is already encoded and includes any context path and query. */
    public URI uri(String path) {
        return root.resolve(path);
    }

    /** A request carrying {@code Authorization: Bearer <token>}. */
    public HttpRequest.Builder request(String path) {
        return unauthenticated(path).header("Authorization", "Bearer " + token);
    }

    public HttpRequest.Builder unauthenticated(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(timeout);
    }

    public Reply get(String path) {
        return send(request(path).GET().build());
    }

    public Reply post(String path, String json) {
        return json("POST", path, json);
    }

    /** A POST without a body, as {@code curl -X POST} sends it. */
    public Reply post(String path) {
        return send(request(path).POST(BodyPublishers.noBody()).build());
    }

    public Reply put(String path, String json) {
        return json("PUT", path, json);
    }

    public Reply patch(String path, String json) {
        return json("PATCH", path, json);
    }

    public Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** A method with a JSON body. */
    public Reply json(String method, String path, String json) {
        return send(method, path, "application/json", BodyPublishers.ofString(json));
    }

    public Reply send(String method, String path, String contentType, BodyPublisher body) {
        return send(request(path).header("Content-Type", contentType).method(method, body).build());
    }

    /**
     * Sends and waits for the answer. The wait is bounded (twice the request timeout) so that a server that
     * never answers fails the test with the request named, instead of hanging the build.
     */
    public Reply send(HttpRequest request) {
        try {
            return sendAsync(request).get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling " + request.uri(), e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("calling " + request.method() + " " + request.uri() + " failed",
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (TimeoutException e) {
            throw new AssertionError("no answer to " + request.method() + " " + request.uri(), e);
        }
    }

    public CompletableFuture<Reply> sendAsync(HttpRequest request) {
        return http.sendAsync(request, BodyHandlers.ofString())
                .thenApply(response -> new Reply(response.statusCode(), response.headers(), response.body()));
    }
}
