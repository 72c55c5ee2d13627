package dev.ayb.matviews.spi;

/**
 * A refresh in progress under the view's lock. Everything in it runs on the connection that holds the
 * lock, so the recorded outcome is written before any other refresh of the view can start.
 */
public interface RefreshSession extends AutoCloseable {

    /** The view as the catalog described it once the lock was taken. */
    ViewState view();

    /**
     * Runs exactly {@code REFRESH MATERIALIZED VIEW [CONCURRENTLY] "schema"."view"}. Failures are
     * {@link dev.ayb.matviews.MatviewException}s that keep PostgreSQL's message and SQLSTATE.
     */
    void refresh();

    /** Stores the outcome while the lock is still held. */
    RecordedRun record(RunRecord run);

    /**
     * Releases the lock and restores every session setting changed for the refresh. Never throws:
     * a connection whose release cannot be confirmed is closed rather than returned to its pool.
     */
    @Override
    void close();
}
