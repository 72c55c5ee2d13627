package dev.ayb.matviews.jobs;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * How a {@link JobRunner} works. Every instance of an application runs one; they coordinate only
 * through PostgreSQL.
 *
 * @param workerId         names this instance in the jobs it runs (default: process name + random suffix)
 * @param concurrency      jobs this instance runs at once
 * @param leaseDuration    how long a claimed job stays this worker's without renewal; renewed every third
 *                         of it while the job runs; a job whose worker died is re-run after it
 * @param idlePollInterval the longest an idle instance waits before looking for work again (new
 *                         schedules made by other instances are seen within it); one query per wait
 * @param shutdownGrace    how long {@link JobRunner#close()} lets running jobs finish before it releases
 *                         them back to the queue
 * @param finishedJobRetention how long completed, failed and canceled jobs are kept
 * @param executor         runs the handlers; null to let the runner own a pool of {@code concurrency}
 *                         named threads. An executor passed in is never shut down by the runner
 */
public record JobOptions(
        String workerId,
        int concurrency,
        Duration leaseDuration,
        Duration idlePollInterval,
        Duration shutdownGrace,
        Duration finishedJobRetention,
        ExecutorService executor) {

    public static final int DEFAULT_CONCURRENCY = 4;
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_IDLE_POLL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    public JobOptions {
        Objects.requireNonNull(workerId, "workerId");
        if (workerId.isBlank() || workerId.length() > 200) {
            throw new IllegalArgumentException("workerId must be 1 to 200 characters");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        requirePositive(leaseDuration, "leaseDuration");
        requirePositive(idlePollInterval, "idlePollInterval");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        requirePositive(finishedJobRetention, "finishedJobRetention");
    }

    public static JobOptions defaults() {
        return new JobOptions(defaultWorkerId(), DEFAULT_CONCURRENCY, DEFAULT_LEASE, DEFAULT_IDLE_POLL,
                DEFAULT_SHUTDOWN_GRACE, DEFAULT_RETENTION, null);
    }

    public JobOptions withWorkerId(String value) {
        return new JobOptions(value, concurrency, leaseDuration, idlePollInterval, shutdownGrace,
                finishedJobRetention, executor);
    }

    public JobOptions withConcurrency(int value) {
        return new JobOptions(workerId, value, leaseDuration, idlePollInterval, shutdownGrace,
                finishedJobRetention, executor);
    }

    public JobOptions withLeaseDuration(Duration value) {
        return new JobOptions(workerId, concurrency, value, idlePollInterval, shutdownGrace,
                finishedJobRetention, executor);
    }

    public JobOptions withIdlePollInterval(Duration value) {
        return new JobOptions(workerId, concurrency, leaseDuration, value, shutdownGrace,
                finishedJobRetention, executor);
    }

    public JobOptions withShutdownGrace(Duration value) {
        return new JobOptions(workerId, concurrency, leaseDuration, idlePollInterval, value,
                finishedJobRetention, executor);
    }

    public JobOptions withFinishedJobRetention(Duration value) {
        return new JobOptions(workerId, concurrency, leaseDuration, idlePollInterval, shutdownGrace, value,
                executor);
    }

    public JobOptions withExecutor(ExecutorService value) {
        return new JobOptions(workerId, concurrency, leaseDuration, idlePollInterval, shutdownGrace,
                finishedJobRetention, value);
    }

    private static String defaultWorkerId() {
        // "pid@host" from the JVM, plus a suffix so two runners in one JVM are told apart.
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
