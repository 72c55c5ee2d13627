package dev.ayb.matviews.servlet.reliability;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import dev.ayb.matviews.servlet.CollectionAccess;
import dev.ayb.matviews.servlet.JettyServer;
import dev.ayb.matviews.testkit.http.AdminClient;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.time.Duration;

/**
 * The admin servlet, as a host mounts it, in a real Jetty on the loopback interface, over an {@link AybMatviews}
 * the test built (typically on a {@link RecordingDataSource}), with a random admin token; and the testkit's
 * client pointed at it, with a longer timeout than the functional tests since these suites load the server.
 */
final class Api extends AdminClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final JettyServer server;

    private Api(JettyServer server, String token) {
        super(server.root(), token, TIMEOUT);
        this.server = server;
    }

    /** The servlet at {@code /*}, bearer-token authentication, collections for admins only. */
    static Api start(AybMatviews matviews) {
        return start(matviews, CollectionAccess.adminOnly());
    }

    /** The servlet over the scheduler's instance: its schedules, and its job queue when jobs are enabled. */
    static Api start(AybJobs jobs) {
        String token = randomToken();
        return new Api(JettyServer.start(new AybAdminServlet(jobs, AdminAuthenticator.bearerToken(token))), token);
    }

    static Api start(AybMatviews matviews, CollectionAccess access) {
        String token = randomToken();
        return new Api(JettyServer.start(new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(token),
                access)), token);
    }

    @Override
    public void close() {
        server.close();
    }
}
