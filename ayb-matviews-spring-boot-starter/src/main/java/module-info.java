/**
 * The Spring Boot starter's auto-configuration. Open, because Spring reads and instantiates the configuration and
 * properties classes by reflection.
 */
open module dev.ayb.matviews.spring.boot {
    exports dev.ayb.matviews.spring.boot;

    requires transitive dev.ayb.matviews.jdbc;
    requires transitive dev.ayb.matviews.jobs;
    requires transitive dev.ayb.matviews.servlet;
    requires transitive dev.ayb.matviews.micrometer;
    requires dev.ayb.matviews.json;
    requires com.fasterxml.jackson.databind;
    // The public classes here are Spring's kinds of classes (auto-configurations, a lifecycle, a health indicator),
    // so Spring's modules are transitive although Spring publishes Automatic-Module-Names only (see the pom).
    requires transitive spring.beans;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.context;
    // DataSize, a property type of the public properties class.
    requires transitive spring.core;
    // Present only in applications that have them: health (Actuator) and database initialization ordering.
    requires static transitive spring.boot.health;
    requires static spring.boot.sql;
    requires static com.zaxxer.hikari;
    requires static transitive org.jspecify;
}
