/**
 * A real PostgreSQL for tests and demos, the JUnit 5 extensions, the SPI contract tests, in-memory SPI
 * implementations and the shared test fixtures.
 *
 * <p>JUnit and Jackson are optional dependencies of the artifact, hence {@code requires static}: a test that
 * uses the JUnit extensions or the HTTP client has them anyway. Testcontainers (optional too) is not named here:
 * it has no module name and splits a package between its jars, so it can only be on the class path. This module
 * is compiled to read the class path for it, and reads it at run time once it found it there.
 */
module dev.ayb.matviews.testkit {
    exports dev.ayb.matviews.testkit;
    exports dev.ayb.matviews.testkit.contract;
    exports dev.ayb.matviews.testkit.http;
    exports dev.ayb.matviews.testkit.memory;
    exports dev.ayb.matviews.testkit.reliability;

    // In the exported API: DataSources, Hikari pools (PoolHygiene, Pools) and java.net.http requests (AdminClient).
    requires transitive dev.ayb.matviews.core;
    requires transitive java.sql;
    requires transitive java.net.http;
    requires transitive com.zaxxer.hikari;
    // Asks whether the JVM runs as root; ServerUser falls back to `id -u` on a runtime without this module.
    requires static jdk.security.auth;
    requires org.apache.commons.compress;
    requires org.tukaani.xz;
    requires org.slf4j;
    requires static transitive org.junit.jupiter.api;
    requires static transitive com.fasterxml.jackson.databind;
    requires static transitive org.jspecify;
}
