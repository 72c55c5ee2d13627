package dev.ayb.matviews.jobs;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The poller's sleep between passes, and what cuts it short: work added through this instance, a job that
 * finished (a slot is free), or the runner stopping. A wake-up requested while the poller was busy is kept
 * for its next wait, so none is lost.
 */
final class Wakeups {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final StopSignal stop;
    private boolean wakeRequested;

    Wakeups(StopSignal stop) {
        this.stop = stop;
    }

    void wakeUp() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a wake-up was requested since the last call; clears it. */
    boolean takeRequest() {
        lock.lock();
        try {
            boolean requested = wakeRequested;
            wakeRequested = false;
            return requested;
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps up to {@code wait}, less when woken or stopped. An interrupt stops the runner. */
    void await(Duration wait) {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!wakeRequested && !stop.isStopping() && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.stopWithoutWaiting();
        } finally {
            lock.unlock();
        }
    }
}
