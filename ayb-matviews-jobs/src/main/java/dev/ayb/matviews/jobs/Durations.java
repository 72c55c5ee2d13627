package dev.ayb.matviews.jobs;

import java.time.Duration;

/** The two comparisons of durations the runner's waits are made of. */
final class Durations {
    private Durations() {
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
