package dev.ayb.matviews.jobs;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one poll pass did ({@link AybJobs#pollOnce()}).
 *
 * @param enqueued  jobs enqueued for due schedule ticks
 * @param recovered jobs taken back from workers whose lease had expired
 * @param attempts  the jobs this pass ran, in the order it ran them, and how each ended
 * @param nextWork  when there is next work for this instance (a schedule tick, a queued job of a type it
 *                  handles, a lease expiry), after the pass; null when there is none
 */
public record PollResult(int enqueued, int recovered, List<JobAttempt> attempts, @Nullable Instant nextWork) {
    public PollResult {
        attempts = List.copyOf(attempts);
    }
}
