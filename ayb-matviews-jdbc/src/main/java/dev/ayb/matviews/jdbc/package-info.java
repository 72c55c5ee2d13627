/**
 * The PostgreSQL adapter: {@link dev.ayb.matviews.jdbc.AybMatviews} wires the core to any {@code DataSource}
 * (schema migrations, registration store, catalog queries, advisory-locked refresh), and
 * {@link dev.ayb.matviews.jdbc.AdvisoryLockMode} chooses how the refresh lock is held.
 */
@NullMarked
package dev.ayb.matviews.jdbc;

import org.jspecify.annotations.NullMarked;
