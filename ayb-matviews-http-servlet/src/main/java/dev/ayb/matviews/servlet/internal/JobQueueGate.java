package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;

/**
 * Closes the schedule and job routes with 503 {@code job queue is not enabled} when this application
 * instance was built without jobs, as the original answers when {@code jobs.enabled} is off. It wraps
 * handlers, so it acts after authentication and routing: a caller without a token still gets 401, an
 * unknown method still 405, and nothing of the request (body included) is read.
 *
 * <p>The 503 is answered, not thrown: it describes how the instance is configured, not a failure, so it
 * must not be logged as one on every call of a dashboard that polls the job list.
 */
final class JobQueueGate {
    private final boolean jobsEnabled;

    JobQueueGate(boolean jobsEnabled) {
        this.jobsEnabled = jobsEnabled;
    }

    Handler guard(Handler handler) {
        if (jobsEnabled) {
            return handler;
        }
        return request -> ErrorResponses.from(new MatviewException(ErrorCode.JOB_QUEUE_DISABLED));
    }
}
