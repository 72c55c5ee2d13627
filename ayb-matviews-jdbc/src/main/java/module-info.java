/**
 * The PostgreSQL adapter and its {@code AybMatviews} entry point.
 *
 * <p>{@code dev.ayb.matviews.jdbc.support} is exported because the library's other PostgreSQL modules (jobs,
 * collections) share its rules; it is not meant for applications (its package documentation says so).
 * {@code dev.ayb.matviews.jdbc.internal} is not exported. The driver is not required: the adapter speaks JDBC
 * to whatever {@code DataSource} it is given.
 */
module dev.ayb.matviews.jdbc {
    exports dev.ayb.matviews.jdbc;
    exports dev.ayb.matviews.jdbc.support;

    // AybMatviews hands out the core's registry and refresh service, and takes a javax.sql.DataSource.
    requires transitive dev.ayb.matviews.core;
    requires transitive java.sql;
    requires org.slf4j;
    requires static transitive org.jspecify;
}
