package dev.ayb.matviews.servlet;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
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

    private final AybJobs jobs;
    private final JettyServer server;

    private AdminApi(AybJobs jobs, JettyServer server, String token) {
        super(server.root(), token, TIMEOUT);
        this.jobs = jobs;
        this.server = server;
    }

    /** The schedules of a servlet built from an {@code AybMatviews} alone: the same tables, jobs not run here. */
    private AdminApi(AybMatviews matviews, JettyServer server, String token) {
        this(AybJobs.builder(matviews).build(), server, token);
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
        return over(AybJobs.builder(AybMatviews.builder().dataSource(pg.dataSource()).build()).jobsEnabled(true)
                .build());
    }

    /** Over a library instance the test built (e.g. one of several sharing a database). */
    static AdminApi over(AybMatviews matviews) {
        String token = randomToken();
        return new AdminApi(matviews,
                JettyServer.start(new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(token))), token);
    }

    /** Over the scheduler's instance the test built: the servlet serves its schedules and job queue. */
    static AdminApi over(AybJobs jobs) {
        String token = randomToken();
        return new AdminApi(jobs, JettyServer.start(new AybAdminServlet(jobs, AdminAuthenticator.bearerToken(token))),
                token);
    }

    AybMatviews matviews() {
        return jobs.matviews();
    }

    AybJobs jobs() {
        return jobs;
    }

    @Override
    public void close() {
        server.close();
    }
}
