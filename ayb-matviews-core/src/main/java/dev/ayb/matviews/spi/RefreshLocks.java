package dev.ayb.matviews.spi;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;

/**
 * Mutual exclusion across every application instance: at most one refresh of a view runs at a time.
 * Trying never waits for the lock; a held lock is reported as {@link LockAttempt.Busy}.
 */
public interface RefreshLocks {

    /**
     * Tries to take the view's lock and, when taken, opens a session in which the refresh runs with
     * the given timeouts.
     */
    LockAttempt tryLock(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts);
}
