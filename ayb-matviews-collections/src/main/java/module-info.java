/**
 * The read engine behind {@code /api/collections}. Only {@code dev.ayb.matviews.collections} is exported; the
 * query and PostgreSQL sides under {@code internal} are not.
 */
module dev.ayb.matviews.collections {
    exports dev.ayb.matviews.collections;

    // Built from AybMatviews, the jdbc module's entry point.
    requires transitive dev.ayb.matviews.jdbc;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;
    requires static transitive org.jspecify;
}
