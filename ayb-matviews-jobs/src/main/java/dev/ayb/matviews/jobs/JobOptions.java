package dev.ayb.matviews.jobs;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

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
 * @param coordinationClock the time the job queue coordinates on: leases and their expiry, due ticks,
 *                         the recovery pass, and the times written in the schedule and job tables. Null
 *                         (the default) means the database's clock, so that instances whose clocks
 *                         disagree still agree on leases and ticks. Set it only in tests, to drive the
 *                         queue with a clock the test moves; every instance sharing the database must
 *                         then use the same one. The builder's {@code clock} is not used for any of this
 */
public record JobOptions(
        String workerId,
        int concurrency,
        Duration leaseDuration,
        Duration idlePollInterval,
        Duration shutdownGrace,
        Duration finishedJobRetention,
        @Nullable ExecutorService executor,
        @Nullable Clock coordinationClock) {

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

    /** The settings as before the coordination clock existed: the queue coordinates on the database's clock. */
    public JobOptions(String workerId, int concurrency, Duration leaseDuration, Duration idlePollInterval,
                      Duration shutdownGrace, Duration finishedJobRetention, @Nullable ExecutorService executor) {
        this(workerId, concurrency, leaseDuration, idlePollInterval, shutdownGrace, finishedJobRetention, executor,
                null);
    }

    public static JobOptions defaults() {
        return new JobOptions(defaultWorkerId(), DEFAULT_CONCURRENCY, DEFAULT_LEASE, DEFAULT_IDLE_POLL,
                DEFAULT_SHUTDOWN_GRACE, DEFAULT_RETENTION, null, null);
    }

    public JobOptions withWorkerId(String value) {
        return new JobOptions(value, concurrency, leaseDuration, idlePollInterval, shutdownGrace,
                finishedJobRetention, executor, coordinationClock);
    }

    public JobOptions withConcurrency(int value) {
        return new JobOptions(workerId, value, leaseDuration, idlePollInterval, shutdownGrace,
                finishedJobRetention, executor, coordinationClock);
    }

    public JobOptions withLeaseDuration(Duration value) {
        return new JobOptions(workerId, concurrency, value, idlePollInterval, shutdownGrace,
                finishedJobRetention, executor, coordinationClock);
    }

    public JobOptions withIdlePollInterval(Duration value) {
        return new JobOptions(workerId, concurrency, leaseDuration, value, shutdownGrace,
                finishedJobRetention, executor, coordinationClock);
    }

    public JobOptions withShutdownGrace(Duration value) {
        return new JobOptions(workerId, concurrency, leaseDuration, idlePollInterval, value,
                finishedJobRetention, executor, coordinationClock);
    }

    public JobOptions withFinishedJobRetention(Duration value) {
        return new JobOptions(workerId, concurrency, leaseDuration, idlePollInterval, shutdownGrace, value,
                executor, coordinationClock);
    }

    public JobOptions withExecutor(@Nullable ExecutorService value) {
        return new JobOptions(workerId, concurrency, leaseDuration, idlePollInterval, shutdownGrace,
                finishedJobRetention, value, coordinationClock);
    }

    /** For tests: the queue coordinates on this clock instead of the database's (see the record's javadoc). */
    public JobOptions withCoordinationClock(@Nullable Clock value) {
        return new JobOptions(workerId, concurrency, leaseDuration, idlePollInterval, shutdownGrace,
                finishedJobRetention, executor, value);
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
