package dev.ayb.matviews.servlet;

import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real Jetty 12 on a free port of the loopback interface with one servlet mounted, as a host would. The HTTP
 * side of the tests is the testkit's {@code AdminClient}; only what needs Jetty lives here.
 */
public final class JettyServer implements AutoCloseable {
    private final Server server;
    private final URI root;

    private JettyServer(Server server, URI root) {
        this.server = server;
        this.root = root;
    }

    /** The servlet at {@code /*} of the root context, as the demo mounts it. */
    public static JettyServer start(HttpServlet servlet) {
        return start(servlet, "/", "/*");
    }

    public static JettyServer start(HttpServlet servlet, String contextPath, String mapping) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath(contextPath);
        context.addServlet(new ServletHolder(servlet), mapping);
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not start", e);
        }
        return new JettyServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
    }

    /** {@code http://127.0.0.1:<port>}; request paths include any context path. */
    public URI root() {
        return root;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop", e);
        }
    }
}
