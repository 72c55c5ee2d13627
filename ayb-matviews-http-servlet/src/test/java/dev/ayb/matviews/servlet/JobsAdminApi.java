package dev.ayb.matviews.servlet;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * The servlet in Jetty over an {@link AybMatviews} the test builds, typically with jobs enabled (which
 * {@link AdminApi} never does), and an HTTP client sending the admin token. Building with jobs enabled
 * starts no thread: queued jobs stay queued unless the test starts a runner.
 */
final class JobsAdminApi implements AutoCloseable {
    private final AybMatviews matviews;
    private final JettyServer server;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(AdminApi.TIMEOUT)
            .build();

    private JobsAdminApi(AybMatviews matviews, String token) {
        this.matviews = matviews;
        this.token = token;
        this.server = JettyServer.start(new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(token)));
    }

    /** Jobs enabled over the test database's shared pool; no runner started. */
    static JobsAdminApi withJobs(PostgresExtension pg) {
        return over(AybMatviews.builder().dataSource(pg.dataSource()).jobsEnabled(true).build());
    }

    static JobsAdminApi over(AybMatviews matviews) {
        return new JobsAdminApi(matviews, AdminApi.randomToken());
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
        return HttpRequest.newBuilder(uri(path)).timeout(AdminApi.TIMEOUT);
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply post(String path, String json) {
        return send(json(path, "POST", json));
    }

    /** A POST without a body, as {@code curl -X POST} sends it. */
    Reply post(String path) {
        return send(request(path).POST(BodyPublishers.noBody()).build());
    }

    Reply put(String path, String json) {
        return send(json(path, "PUT", json));
    }

    Reply patch(String path, String json) {
        return send(json(path, "PATCH", json));
    }

    Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    Reply send(HttpRequest request) {
        try {
            var response = http.send(request, BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("calling " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted calling " + request.uri(), e);
        }
    }

    private HttpRequest json(String path, String method, String json) {
        return request(path).header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString(json)).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
