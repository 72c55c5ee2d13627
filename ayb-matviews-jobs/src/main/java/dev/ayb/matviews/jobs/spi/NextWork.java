package dev.ayb.matviews.jobs.spi;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * When each kind of work next falls due, as {@link JobStore#nextWork} found it; null where there is none.
 *
 * @param schedule    the earliest next tick of an enabled schedule
 * @param job         the earliest {@code run_at} of a queued job of one of the asked types
 * @param leaseExpiry the earliest lease expiry of a running job (of any type: recovering it is everyone's work)
 */
public record NextWork(@Nullable Instant schedule, @Nullable Instant job, @Nullable Instant leaseExpiry) {
    /** Nothing due at all. */
    public static final NextWork NONE = new NextWork(null, null, null);

    /** The earliest of the three, or null when there is none. */
    public @Nullable Instant earliest() {
        @Nullable Instant earliest = null;
        for (Instant candidate : new Instant[] {schedule, job, leaseExpiry}) {
            if (candidate != null && (earliest == null || candidate.isBefore(earliest))) {
                earliest = candidate;
            }
        }
        return earliest;
    }
}
