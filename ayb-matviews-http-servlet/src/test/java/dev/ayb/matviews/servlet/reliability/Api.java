package dev.ayb.matviews.servlet.reliability;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import dev.ayb.matviews.servlet.CollectionAccess;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The admin servlet, as a host mounts it, in a real Jetty on the loopback interface, over an {@link AybMatviews}
 * the test built (typically on a {@link RecordingDataSource}), with a random admin token; and a client.
 */
final class Api implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Server jetty;
    private final URI root;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    private Api(Server jetty, URI root, String token) {
        this.jetty = jetty;
        this.root = root;
        this.token = token;
    }

    /** The servlet at {@code /*}, bearer-token authentication, collections for admins only. */
    static Api start(AybMatviews matviews) {
        return start(matviews, CollectionAccess.adminOnly());
    }

    static Api start(AybMatviews matviews, CollectionAccess access) {
        String token = randomToken();
        AybAdminServlet servlet = new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(token), access);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not start", e);
        }
        return new Api(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()), token);
    }

    static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    String token() {
        return token;
    }

    int port() {
        return root.getPort();
    }

    /** A request to a path (with its query), already encoded, carrying the admin token. */
    HttpRequest.Builder request(String path) {
        return unauthenticated(path).header("Authorization", "Bearer " + token);
    }

    HttpRequest.Builder unauthenticated(String path) {
        return HttpRequest.newBuilder(root.resolve(path)).timeout(TIMEOUT);
    }

    Reply get(String path) {
        return send(request(path).GET().build());
    }

    Reply post(String path) {
        return send(request(path).POST(BodyPublishers.noBody()).build());
    }

    Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** A method with a JSON body. */
    Reply json(String method, String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString(body)).build());
    }

    Reply send(HttpRequest request) {
        try {
            return sendAsync(request).get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
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

    CompletableFuture<Reply> sendAsync(HttpRequest request) {
        return http.sendAsync(request, BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> new Reply(response.statusCode(), response.headers(), response.body()));
    }

    /** A path segment or query value, percent-encoded (spaces as {@code %20}). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
