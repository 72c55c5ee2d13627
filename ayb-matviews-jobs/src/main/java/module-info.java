/**
 * Schedules, cron and the job runner; the {@code JobStore} SPI and its PostgreSQL implementation.
 * {@code dev.ayb.matviews.jobs.internal} is not exported.
 */
module dev.ayb.matviews.jobs {
    exports dev.ayb.matviews.jobs;
    exports dev.ayb.matviews.jobs.spi;
    exports dev.ayb.matviews.jobs.postgres;

    // Built from AybMatviews, the jdbc module's entry point.
    requires transitive dev.ayb.matviews.jdbc;
    // cron-utils publishes only an Automatic-Module-Name; its types stay inside the module.
    requires com.cronutils;
    // Job payloads to and from jsonb; Jackson sees only maps and JDK values, never our classes.
    requires com.fasterxml.jackson.databind;
    // The default worker id names the JVM (RuntimeMXBean).
    requires java.management;
    requires org.slf4j;
    requires static transitive org.jspecify;
}
