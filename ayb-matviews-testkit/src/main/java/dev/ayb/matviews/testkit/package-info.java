/**
 * A real PostgreSQL for tests and demos without installing one.
 *
 * <ul>
 *   <li>{@link dev.ayb.matviews.testkit.EmbeddedPostgres}: a server run from the binaries on Maven Central, also when
 *       the JVM runs as root; no JUnit needed.</li>
 *   <li>{@link dev.ayb.matviews.testkit.PostgresServer}: the one server the tests of a JVM share, be it an existing
 *       server, a Testcontainers container or an embedded server.</li>
 *   <li>{@link dev.ayb.matviews.testkit.PostgresExtension}: a JUnit 5 extension giving each test class its own
 *       database on that server, and failing tests that leave advisory locks held.</li>
 * </ul>
 */
package dev.ayb.matviews.testkit;
