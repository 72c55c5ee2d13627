package dev.ayb.matviews.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Adding the admin API to an existing Jetty application: one servlet, mounted at the root. (For a WAR
 * in Tomcat, see {@link AybMatviewsWebappListener}.)
 */
public final class ServletMountExample {
    private ServletMountExample() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.startTemporary();
             HikariDataSource dataSource = SampleDatabase.pool(postgres)) {
            SampleDatabase.create(dataSource, 100);

            AybMatviews matviews = AybMatviews.builder().dataSource(dataSource).build();
            ServletContextHandler context = new ServletContextHandler();   // your application's context
            context.addServlet(new ServletHolder(new AybAdminServlet(matviews,
                    AdminAuthenticator.bearerToken("change-me"))), "/*");

            Server server = new Server(0);
            server.setHandler(context);
            server.start();
            try {
                int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/admin/matviews/discovered"))
                        .header("Authorization", "Bearer change-me").build(), HttpResponse.BodyHandlers.ofString());
                System.out.println(response.statusCode() + " " + response.body());
            } finally {
                server.stop();
            }
        }
    }
}
