/**
 * Core's SPIs kept in memory, for tests of core's rules (and a host's own code around them) that need no
 * database and run in milliseconds. They pass the same contract tests as the PostgreSQL implementations
 * ({@link dev.ayb.matviews.testkit.contract}); what only PostgreSQL decides (SQL, timeouts, catalog rules) is
 * not imitated here: a view's state is whatever the test declares.
 *
 * <ul>
 *   <li>{@link dev.ayb.matviews.testkit.memory.InMemoryRegistrationStore}: registrations and run history.</li>
 *   <li>{@link dev.ayb.matviews.testkit.memory.InMemoryCatalog}: the materialized views a test declares.</li>
 *   <li>{@link dev.ayb.matviews.testkit.memory.InMemoryRefreshLocks}: the per-view locks and their sessions,
 *       with a journal of what each session did.</li>
 * </ul>
 */
@NullMarked
package dev.ayb.matviews.testkit.memory;

import org.jspecify.annotations.NullMarked;
