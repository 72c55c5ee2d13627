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
 *   <li>{@link dev.ayb.matviews.testkit.StreamingReplica} and {@link dev.ayb.matviews.testkit.ReplicaExtension}:
 *       a hot standby of the embedded server, from the same binaries, for tests of reads from a replica.</li>
 *   <li>{@link dev.ayb.matviews.testkit.PgBouncerExtension}: a real PgBouncer (Debian's binary) in front of that
 *       database, fresh for each test, to test what a transaction-pooling proxy does to sessions.</li>
 *   <li>{@link dev.ayb.matviews.testkit.RequiredTool}: an external program a test needs; missing, the test fails
 *       under CI and is skipped (counted) elsewhere.</li>
 * </ul>
 */
@NullMarked
package dev.ayb.matviews.testkit;

import org.jspecify.annotations.NullMarked;
