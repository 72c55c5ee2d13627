package dev.ayb.matviews.spi;

import dev.ayb.matviews.MatviewException;
import java.util.Optional;

/**
 * A refresh in progress under the view's lock. Everything in it runs on the connection that holds the
 * lock, so the recorded outcome is written before any other refresh of the view can start.
 */
public interface RefreshSession extends AutoCloseable {

    /** The view as the catalog described it once the lock was taken. */
    ViewState view();

    /**
     * Runs exactly {@code REFRESH MATERIALIZED VIEW [CONCURRENTLY] "schema"."view"}, or, in
     * {@link dev.ayb.matviews.RefreshMode#SWAP swap} mode, builds the new contents beside the view and switches
     * them in. Failures are {@link dev.ayb.matviews.MatviewException}s that keep PostgreSQL's message and SQLSTATE.
     */
    void refresh();

    /**
     * Called just before {@link #refresh()} for a view whose changes are tracked: keeps what the database has
     * committed at this moment, so that the record of a successful refresh can say which source changes the
     * view has seen. A change committed after it is reported unseen, even if the REFRESH happened to read it:
     * the view may then be reported behind when it is not, never current when it is not. Default: nothing.
     */
    default void captureChangeSnapshot() {
    }

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
     * Asked after {@link #close()}: why the lock could not be confirmed released, when the caller must hear it
     * although the refresh ran, e.g. the unlock ran in another server session than the lock, as behind a
     * transaction-pooling proxy. Empty when the release was confirmed, or its failure says nothing the
     * refresh's own outcome does not (such as a connection that died with the refresh).
     */
    default Optional<MatviewException> releaseFailure() {
        return Optional.empty();
    }

    /**
     * Releases the lock and restores every session setting changed for the refresh. Never throws:
     * a connection whose release cannot be confirmed is closed rather than returned to its pool.
     */
    @Override
    void close();
}
