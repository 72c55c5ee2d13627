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
     * Whether a refresh that succeeded stays done when {@link #record} then fails. False where the refresh
     * and its record are one transaction: the failed record takes the refresh down with it, so the run must
     * be reported and recorded as failed, not as the success it briefly was.
     */
    default boolean refreshOutlivesFailedRecord() {
        return true;
    }

    /**
     * Releases the lock and restores every session setting changed for the refresh. Never throws:
     * a connection whose release cannot be confirmed is closed rather than returned to its pool.
     */
    @Override
    void close();
}
