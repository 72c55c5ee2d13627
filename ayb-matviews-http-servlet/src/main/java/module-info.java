/**
 * The admin HTTP API as a Jakarta servlet. Only {@code dev.ayb.matviews.servlet} is exported; routing, parsing
 * and error mapping under {@code internal} are not. The servlet reaches PostgreSQL only through the library's
 * API (a guard test checks that its sources import nothing from {@code java.sql}).
 */
module dev.ayb.matviews.servlet {
    exports dev.ayb.matviews.servlet;

    // The servlet is built from AybMatviews and AybJobs, and is an HttpServlet: all three are in its API.
    requires transitive jakarta.servlet;
    requires transitive dev.ayb.matviews.jdbc;
    requires transitive dev.ayb.matviews.jobs;
    // Transitive: the builder takes a collections ReadReplica.
    requires transitive dev.ayb.matviews.collections;
    requires dev.ayb.matviews.json;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static transitive org.jspecify;
}
