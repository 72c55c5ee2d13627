package dev.ayb.matviews.servlet;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The servlet mounted in Jetty over the test database with a random admin token, and an HTTP client
 * that calls it the way an operator's script would.
 */
final class AdminApi implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final AybMatviews matviews;
    private final JettyServer server;
    private final String token;
    private final HttpClient http;

    private AdminApi(AybMatviews matviews, JettyServer server, String token) {
        this.matviews = matviews;
        this.server = server;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    /** Bearer-token authentication, the servlet at {@code /*}. */
    static AdminApi start(PostgresExtension pg) {
        String token = randomToken();
        return start(pg, AdminAuthenticator.bearerToken(token), token);
    }

    /** The given authenticator; {@code token} is what {@link #request} sends (it may be wrong on purpose). */
    static AdminApi start(PostgresExtension pg, AdminAuthenticator authenticator, String token) {
        AybMatviews matviews = AybMatviews.builder().dataSource(pg.dataSource()).build();
        return new AdminApi(matviews, JettyServer.start(new AybAdminServlet(matviews, authenticator)), token);
    }

    static AdminApi start(PostgresExtension pg, String contextPath, String mapping) {
        String token = randomToken();
        AybMatviews matviews = AybMatviews.builder().dataSource(pg.dataSource()).build();
        AybAdminServlet servlet = new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(token));
        return new AdminApi(matviews, JettyServer.start(servlet, contextPath, mapping), token);
    }

    static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    AybMatviews matviews() {
        return matviews;
    }

    String token() {
        return token;
    }

    URI uri(String path) {
        return server.uri(path);
    }

    /** A request carrying {@code Authorization: Bearer <token>}. */
    HttpRequest.Builder request(String path) {
        return unauthenticated(path).header("Authorization", "Bearer " + token);
    }

    HttpRequest.Builder unauthenticated(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply post(String path, String json) {
        return send(withJson(request(path), "POST", json));
    }

    /** A POST without a body, as {@code curl -X POST} sends it. */
    Reply post(String path) {
        return send(request(path).POST(BodyPublishers.noBody()).build());
    }

    Reply put(String path, String json) {
        return send(withJson(request(path), "PUT", json));
    }

    Reply patch(String path, String json) {
        return send(withJson(request(path), "PATCH", json));
    }

    Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    Reply send(String method, String path, String contentType, BodyPublisher body) {
        return send(request(path).header("Content-Type", contentType).method(method, body).build());
    }

    Reply send(HttpRequest request) {
        try {
            return sendAsync(request).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling " + request.uri(), e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("calling " + request.uri() + " failed",
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
    }

    CompletableFuture<Reply> sendAsync(HttpRequest request) {
        return http.sendAsync(request, BodyHandlers.ofString())
                .thenApply(response -> new Reply(response.statusCode(), response.headers(), response.body()));
    }

    private static HttpRequest withJson(HttpRequest.Builder builder, String method, String json) {
        return builder.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(json)).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
