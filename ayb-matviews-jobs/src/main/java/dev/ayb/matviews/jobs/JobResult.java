package dev.ayb.matviews.jobs;

import org.jspecify.annotations.Nullable;

/**
 * How a handler's run ended when it did not throw. A skipped run is complete, not failed: it is not
 * retried (for a refresh, "another refresh is already doing it" is not an error).
 */
public record JobResult(boolean skipped, @Nullable String note) {
    private static final JobResult DONE = new JobResult(false, null);

    public static JobResult done() {
        return DONE;
    }

    public static JobResult done(String note) {
        return new JobResult(false, note);
    }

    public static JobResult skipped(String reason) {
        return new JobResult(true, reason);
    }

    /** The text kept in the job's {@code result}; null for a run done without a note. */
    public @Nullable String describe() {
        if (skipped) {
            return "skipped: " + note;
        }
        return note;
    }
}
