package dev.ayb.matviews.examples;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * For a WAR in Tomcat 10.1+ (or any Servlet 6 container): mounts the admin API when the webapp starts,
 * using the container's pooled data source {@code java:comp/env/jdbc/app} and the token from the
 * environment variable {@code AYB_ADMIN_TOKEN}. Copy it into the webapp; nothing else is needed.
 */
@WebListener
public final class AybMatviewsWebappListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        AybMatviews matviews = AybMatviews.builder().dataSource(lookup("java:comp/env/jdbc/app")).build();
        AybAdminServlet servlet = new AybAdminServlet(matviews,
                AdminAuthenticator.bearerToken(System.getenv("AYB_ADMIN_TOKEN")));
        ServletRegistration.Dynamic registration = event.getServletContext().addServlet("ayb-matviews", servlet);
        // Only the library's paths, so the rest of the webapp keeps its own.
        registration.addMapping("/api/admin/*", "/api/collections/*", "/admin/*");
    }

    private static DataSource lookup(String name) {
        try {
            return (DataSource) new InitialContext().lookup(name);
        } catch (NamingException e) {
            throw new IllegalStateException("no data source bound at " + name, e);
        }
    }
}
