package dev.ayb.matviews.benchmarks;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty serving {@link AybAdminServlet} on a free port of 127.0.0.1 only, mounted at {@code /*} as the demo
 * mounts it, with its bearer token; plus the request builder the benchmarks' HTTP clients use.
 */
final class LoopbackServer implements AutoCloseable {
    static final String TOKEN = "benchmark-admin-token";
    /** An authenticated path that no route serves: answered 404 without touching the database. */
    static final String NO_SUCH_ROUTE = "/api/admin/no-such-route";

    private final Server server;
    private final URI base;

    private LoopbackServer(Server server, URI base) {
        this.server = server;
        this.base = base;
    }

    static LoopbackServer start(AybMatviews matviews) throws Exception {
        return start(matviews, null);
    }

    /** Also serves {@link HandWrittenPageServlet} at its path, when one is given. */
    static LoopbackServer start(AybMatviews matviews, HandWrittenPageServlet handWritten) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(TOKEN))),
                "/*");
        if (handWritten != null) {
            context.addServlet(new ServletHolder(handWritten), HandWrittenPageServlet.PATH);
        }
        server.setHandler(context);
        server.setStopTimeout(2000);
        server.start();
        return new LoopbackServer(server, URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort()));
    }

    /** An HTTP/1.1 client that keeps its connections alive between requests. */
    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN);
    }

    /** Sends and checks the status; the body is returned as bytes (all of it is read, as a client would). */
    static byte[] send(HttpClient client, HttpRequest request, int expectedStatus) throws Exception {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + " instead of " + expectedStatus + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return response.body();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping Jetty failed", e);
        }
    }
}
