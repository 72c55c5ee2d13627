/**
 * Micrometer meters for the library: {@code RefreshMetrics} (a refresh listener), {@code ViewMetrics},
 * {@code JobQueueMetrics} and {@code JobMetrics} (a job listener), each a {@code MeterBinder}. Everything in the one
 * package is API.
 */
module dev.ayb.matviews.micrometer {
    exports dev.ayb.matviews.micrometer;

    requires transitive dev.ayb.matviews.jdbc;
    // Transitive: MeterBinder and MeterRegistry are this module's API. Micrometer publishes only an
    // Automatic-Module-Name, so this module allows an automatic module in its API (see its pom).
    requires transitive micrometer.core;
    // Only JobQueueMetrics reads the scheduler; an application without it never loads that class.
    requires static transitive dev.ayb.matviews.jobs;
    requires static transitive org.jspecify;
}
