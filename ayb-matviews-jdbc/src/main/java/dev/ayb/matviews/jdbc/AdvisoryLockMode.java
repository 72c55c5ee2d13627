package dev.ayb.matviews.jdbc;

/** How the per-view refresh lock is held. */
public enum AdvisoryLockMode {
    /**
     * {@code pg_try_advisory_lock} on a dedicated connection in autocommit mode: no transaction stays
     * open while the view refreshes. Needs a session that lasts across statements, which a direct
     * connection or a session-pooling PgBouncer gives. The default. Behind transaction pooling, an unlock that
     * runs on another backend than the lock is detected and fails the refresh call; the lock is then never
     * reported released. A lock attempt on a backend that already holds the lock (for another client of the
     * proxy: session locks are re-entrant) is refused before the refresh runs.
     */
    SESSION,
    /**
     * {@code pg_try_advisory_xact_lock} with the refresh and its record in one transaction. Works behind
     * PgBouncer in transaction-pooling mode, where session locks are unsafe; the price is a transaction
     * open for the length of the refresh.
     */
    TRANSACTION
}
