package dev.ayb.matviews.spi;

import java.util.Objects;

/** The result of trying to take a view's refresh lock. */
public sealed interface LockAttempt permits LockAttempt.Acquired, LockAttempt.Busy, LockAttempt.ViewMissing {

    /** The lock is held; the session must be closed. */
    record Acquired(RefreshSession session) implements LockAttempt {
        public Acquired {
            Objects.requireNonNull(session, "session");
        }
    }

    /** Another refresh of the view, in this process or any other, holds the lock. */
    record Busy() implements LockAttempt {
    }

    /** No materialized view of that name exists any more; no lock was taken. */
    record ViewMissing() implements LockAttempt {
    }
}
