package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import java.util.Optional;

/**
 * What the unlock of a session lock found. Released means both: the unlock ran on the backend that took the lock,
 * and PostgreSQL answered that the lock was held. Anything else is never reported as released.
 *
 * @param unlocked         what {@code pg_advisory_unlock} answered (false when it was not run, on another backend)
 * @param lockBackendPid   {@code pg_backend_pid()} when the lock was taken
 * @param unlockBackendPid {@code pg_backend_pid()} when it was to be released
 */
record SessionUnlock(boolean unlocked, int lockBackendPid, int unlockBackendPid) {
    /** The advice the error and the log give: the one lock mode that works behind such a proxy. */
    static final String ADVICE = "use AdvisoryLockMode.TRANSACTION behind PgBouncer";

    /**
     * Refuses a session lock its backend held already, before this client asked: re-entrant, PostgreSQL would
     * have granted it again, and a second refresh would have run beside the one that holds it.
     */
    static MatviewException heldBeforeTheLock(QualifiedName view, int backendPid) {
        return new MatviewException(ErrorCode.DATABASE_ERROR, "advisory lock of " + view + " was already held by"
                + " backend " + backendPid + " before this refresh asked for it, as when another client of a"
                + " transaction-pooling proxy shares that backend; the refresh did not run; " + ADVICE, view, null,
                null);
    }

    boolean released() {
        return unlocked && lockBackendPid == unlockBackendPid;
    }

    /** The unlock ran on the backend that took the lock and found it already released. */
    boolean goneFromItsOwnSession() {
        return !unlocked && lockBackendPid == unlockBackendPid;
    }

    /**
     * Why the lock is not known to be released, as the error the caller gets. The first sentence is the one this
     * case always had; the rest explains it: a session lock only works where every statement of a connection runs
     * in the same server session, which a transaction-pooling proxy does not give.
     */
    Optional<MatviewException> failure(QualifiedName view) {
        if (released()) {
            return Optional.empty();
        }
        String why = lockBackendPid == unlockBackendPid
                ? "the lock was gone from its session (backend " + lockBackendPid + "), as when another client"
                        + " of a transaction-pooling proxy shares that backend"
                : "the unlock ran on backend " + unlockBackendPid + ", the lock was taken on backend "
                        + lockBackendPid + ", as when a transaction-pooling proxy moves a session between backends";
        return Optional.of(new MatviewException(ErrorCode.DATABASE_ERROR, "advisory lock of " + view
                + " was not held at release: " + why + "; " + ADVICE, view, null, null));
    }
}
