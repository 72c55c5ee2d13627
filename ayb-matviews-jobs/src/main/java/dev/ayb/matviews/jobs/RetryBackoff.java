package dev.ayb.matviews.jobs;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** How long a failed job waits before its next attempt. */
final class RetryBackoff {
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private RetryBackoff() {
    }

    /** {@code min(5 s · 2^(attempt-1), 5 min)} plus up to 20% jitter, so retries of many jobs spread out. */
    static Duration after(int attempt) {
        long exponent = Math.min(Math.max(attempt - 1, 0), 20);
        Duration base = Durations.min(FIRST_RETRY.multipliedBy(1L << exponent), MAX_RETRY);
        long jitterMillis = ThreadLocalRandom.current().nextLong(base.toMillis() / 5 + 1);
        return base.plusMillis(jitterMillis);
    }
}
