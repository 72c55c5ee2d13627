package dev.ayb.matviews.servlet;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.AdminClient;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The servlet in Jetty with a collection access policy, and a client that reads collections the way a
 * browser's {@code fetch} would: with the admin token, or anonymously. It wraps the testkit's client rather
 * than extending it, because its {@code get(view, params...)} names a view where the client's names a path.
 */
final class CollectionsApi implements AutoCloseable {
    static final String BASE = "/api/collections/";

    private final AybMatviews matviews;
    private final JettyServer server;
    private final AdminClient client;

    private CollectionsApi(AybMatviews matviews, JettyServer server, String token) {
        this.matviews = matviews;
        this.server = server;
        this.client = new AdminClient(server.root(), token, AdminApi.TIMEOUT);
    }

    /** The servlet's two-argument constructor: collections are for admins only. */
    static CollectionsApi start(PostgresExtension pg) {
        return start(AybMatviews.builder().dataSource(pg.dataSource()).build());
    }

    /** The same over a library instance the test built (e.g. on a recording data source). */
    static CollectionsApi start(AybMatviews matviews) {
        String token = AdminClient.randomToken();
        return new CollectionsApi(matviews,
                JettyServer.start(new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(token))), token);
    }

    /** Collections read from a replica, as the servlet's builder sets it. */
    static CollectionsApi start(AybMatviews matviews, ReadReplica replica) {
        String token = AdminClient.randomToken();
        AybAdminServlet servlet = AybAdminServlet.builder(matviews, AdminAuthenticator.bearerToken(token))
                .collectionReplica(replica).build();
        return new CollectionsApi(matviews, JettyServer.start(servlet), token);
    }

    static CollectionsApi start(PostgresExtension pg, CollectionAccess access) {
        return start(pg, access, AybAdminServlet.DEFAULT_COLLECTION_STATEMENT_TIMEOUT);
    }

    static CollectionsApi start(PostgresExtension pg, CollectionAccess access, Duration statementTimeout) {
        String token = AdminClient.randomToken();
        AybMatviews matviews = AybMatviews.builder().dataSource(pg.dataSource()).build();
        AybAdminServlet servlet = new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(token), access,
                statementTimeout);
        return new CollectionsApi(matviews, JettyServer.start(servlet), token);
    }

    AybMatviews matviews() {
        return matviews;
    }

    /** Registers the view and refreshes it, so that its answers carry validators (ETag, Last-Modified). */
    void registerAndRefresh(String view, RefreshMode mode) {
        matviews.registry().register(QualifiedName.parse(view), mode);
        matviews.refreshes().refresh(view);
    }

    /** {@code GET /api/collections/<view>?<params>} with the admin token; params are URL-encoded here. */
    Reply get(String view, String... params) {
        return send(request(path(view, params)).GET().build());
    }

    Reply get(String view, Map<String, String> headers, String... params) {
        HttpRequest.Builder request = request(path(view, params));
        headers.forEach(request::header);
        return send(request.GET().build());
    }

    CompletableFuture<Reply> getAsync(String view, String... params) {
        return sendAsync(request(path(view, params)).GET().build());
    }

    Reply getAnonymously(String view, String... params) {
        return send(unauthenticated(path(view, params)).GET().build());
    }

    Reply head(String view, String... params) {
        return send(request(path(view, params)).method("HEAD", BodyPublishers.noBody()).build());
    }

    /** A method with a JSON body, as a client trying to write would send it. */
    Reply send(String method, String view, boolean authenticated) {
        HttpRequest.Builder request = authenticated ? request(BASE + view) : unauthenticated(BASE + view);
        return send(request.header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString("{\"name\": \"mallory\"}")).build());
    }

    /** A path and query sent exactly as written (already encoded by the test). */
    Reply getRaw(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    HttpRequest.Builder request(String path) {
        return client.request(path);
    }

    HttpRequest.Builder unauthenticated(String path) {
        return client.unauthenticated(path);
    }

    Reply send(HttpRequest request) {
        return client.send(request);
    }

    CompletableFuture<Reply> sendAsync(HttpRequest request) {
        return client.sendAsync(request);
    }

    /** {@code /api/collections/<view>?n1=v1&n2=v2}, names and values URL-encoded. */
    static String path(String view, String... params) {
        if (params.length % 2 != 0) {
            throw new IllegalArgumentException("params are name, value pairs");
        }
        StringBuilder path = new StringBuilder(BASE).append(view);
        for (int i = 0; i < params.length; i += 2) {
            path.append(i == 0 ? '?' : '&').append(encode(params[i])).append('=').append(encode(params[i + 1]));
        }
        return path.toString();
    }

    static String encode(String text) {
        return AdminClient.encode(text);
    }

    @Override
    public void close() {
        server.close();
    }
}
