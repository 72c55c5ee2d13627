package dev.ayb.matviews.benchmarks;

import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import java.net.InetAddress;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty serving {@link AybAdminServlet} on a free port of 127.0.0.1 only, mounted at {@code /*} as the demo
 * mounts it, with its bearer token; {@link #client()} gives the benchmarks' clients for it.
 */
final class LoopbackServer implements AutoCloseable {
    static final String TOKEN = "benchmark-admin-token";
    /** An authenticated path that no route serves: answered 404 without touching the database. */
    static final String NO_SUCH_ROUTE = "/api/admin/no-such-route";

    private final Server server;
    private final AybAdminServlet servlet;
    private final URI base;

    private LoopbackServer(Server server, AybAdminServlet servlet, URI base) {
        this.server = server;
        this.servlet = servlet;
        this.base = base;
    }

    static LoopbackServer start(AybMatviews matviews) throws Exception {
        return start(matviews, (HandWrittenPageServlet) null);
    }

    /** Also serves {@link HandWrittenPageServlet} at its path, when one is given. */
    static LoopbackServer start(AybMatviews matviews, HandWrittenPageServlet handWritten) throws Exception {
        return start(AybAdminServlet.builder(matviews, AdminAuthenticator.bearerToken(TOKEN)).build(), handWritten);
    }

    /** Collections read from a replica. */
    static LoopbackServer startReadingFrom(ReadReplica replica, AybMatviews matviews) throws Exception {
        return start(AybAdminServlet.builder(matviews, AdminAuthenticator.bearerToken(TOKEN))
                .collectionReplica(replica).build(), null);
    }

    /** The servlet as the benchmark built it (e.g. with more event streams than the default). */
    static LoopbackServer start(AybAdminServlet servlet, HandWrittenPageServlet handWritten) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/*");
        if (handWritten != null) {
            context.addServlet(new ServletHolder(handWritten), HandWrittenPageServlet.PATH);
        }
        server.setHandler(context);
        server.setStopTimeout(2000);
        server.start();
        return new LoopbackServer(server, servlet, URI.create("http://" + connector.getHost() + ":" + connector.getLocalPort()));
    }

    URI base() {
        return base;
    }

    /** A kept-alive client for one thread, carrying the admin token. */
    LoopbackClient client() {
        return new LoopbackClient(base, TOKEN);
    }

    @Override
    public void close() {
        servlet.closeEventStreams();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping Jetty failed", e);
        }
    }
}
