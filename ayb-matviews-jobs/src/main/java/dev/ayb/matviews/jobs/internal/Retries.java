package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which failed job attempts are worth another: the one place where a failure is classified. A job that fails
 * for a reason no retry can fix fails at once, with that reason, instead of using up its attempts over
 * minutes of backoff; anything else (a lock or statement timeout, a lost connection, a handler's own
 * exception) is taken to be transient and retried.
 */
public final class Retries {
    /** Failures that stay the same until someone changes the view, the schedule or the role's privileges. */
    private static final Set<ErrorCode> PERMANENT = EnumSet.of(
            ErrorCode.VIEW_NOT_FOUND,
            ErrorCode.VIEW_NO_LONGER_EXISTS,
            ErrorCode.INVALID_IDENTIFIER,
            ErrorCode.INVALID_PAYLOAD,
            ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX,
            ErrorCode.CONCURRENT_REQUIRES_POPULATED,
            ErrorCode.SWAP_BLOCKED_BY_DEPENDANTS,
            ErrorCode.SWAP_NAME_TAKEN,
            ErrorCode.REFRESH_PERMISSION_DENIED);
    /** SQLSTATE insufficient_privilege, whichever statement it came from. */
    private static final String PERMISSION_DENIED = "42501";

    private Retries() {
    }

    /** False when running the job again cannot end differently. */
    public static boolean worthRetrying(Throwable failure) {
        if (failure instanceof MatviewException e) {
            return !PERMANENT.contains(e.code()) && !PERMISSION_DENIED.equals(e.sqlState().orElse(null));
        }
        return true;
    }
}
