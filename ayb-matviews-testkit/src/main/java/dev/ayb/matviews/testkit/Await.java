package dev.ayb.matviews.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition another thread or backend will make true, instead of sleeping on a guess. */
public final class Await {
    private static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /** Polls the condition; fails the test after ten seconds. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, DEFAULT_PATIENCE);
    }

    public static void until(String what, BooleanSupplier condition, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + patience + " waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
