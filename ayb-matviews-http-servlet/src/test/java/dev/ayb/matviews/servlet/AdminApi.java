package dev.ayb.matviews.servlet;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.AdminClient;
import java.time.Duration;

/**
 * The servlet mounted in Jetty over the test database with a random admin token, and the testkit's HTTP client
 * pointed at it, calling it the way an operator's script would. Building with jobs enabled starts no thread:
 * queued jobs stay queued unless the test starts a runner.
 */
final class AdminApi extends AdminClient implements AutoCloseable {
    static final Duration TIMEOUT = AdminClient.DEFAULT_TIMEOUT;

    private final AybMatviews matviews;
    private final JettyServer server;

    private AdminApi(AybMatviews matviews, JettyServer server, String token) {
        super(server.root(), token, TIMEOUT);
        this.matviews = matviews;
        this.server = server;
    }

    /** Bearer-token authentication, the servlet at {@code /*}. */
    static AdminApi start(PostgresExtension pg) {
        return over(AybMatviews.builder().dataSource(pg.dataSource()).build());
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

    /** Jobs enabled over the test database's shared pool; no runner started. */
    static AdminApi withJobs(PostgresExtension pg) {
        return over(AybMatviews.builder().dataSource(pg.dataSource()).jobsEnabled(true).build());
    }

    /** Over a library instance the test built (e.g. one of several sharing a database). */
    static AdminApi over(AybMatviews matviews) {
        String token = randomToken();
        return new AdminApi(matviews,
                JettyServer.start(new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(token))), token);
    }

    AybMatviews matviews() {
        return matviews;
    }

    @Override
    public void close() {
        server.close();
    }
}
