package dev.ayb.matviews.jobs;

import dev.ayb.matviews.jobs.internal.CancellableStatements;
import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires due schedules and runs queued jobs on this instance. Any number of instances can run one on the
 * same database: each tick is enqueued once (row locks and a unique index), each job is claimed by one
 * worker ({@code FOR UPDATE SKIP LOCKED}) and held under a lease it renews while running; a job whose
 * worker died is re-run once its lease expires. An instance claims only the job types it has handlers
 * for, so a job of a type some instances lack waits for one that has it.
 *
 * <p>Time: leases, their expiry, due ticks and the recovery pass follow the coordination clock, which is
 * the database's ({@code clock_timestamp()}) unless {@link JobOptions#coordinationClock()} sets one for
 * tests; an instance whose own clock is off neither takes a live job nor fires a tick early or late.
 *
 * <p>A job that fails is retried with backoff, unless the failure is one a retry cannot fix (the view is
 * gone, concurrent refresh prerequisites are missing, the payload is invalid, permission is denied): such
 * a job fails at once with that reason.
 *
 * <p>An idle runner asks one question per {@link JobOptions#idlePollInterval()} ("when is the next
 * work?") and sleeps until then; work added through this instance's {@link ScheduleAdmin} wakes it at
 * once. Threads: one poller ({@code ayb-jobs-poller}) and, unless an executor is given, a pool of
 * {@code ayb-jobs-worker-N}. Nothing runs until {@link #start()}. Per-job lines are logged at DEBUG; a job
 * that fails for good is logged once at WARN.
 */
public final class JobRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /** How long close() waits, after the grace, for the jobs it stopped (interrupted, their SQL canceled). */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);
    /** The least close() waits for the poller, however short the grace. */
    private static final Duration POLLER_PATIENCE = Duration.ofSeconds(1);

    private final JobOptions options;
    private final RunningJobs running = new RunningJobs();
    private final StopSignal stop = new StopSignal();
    private final Wakeups wakeups = new Wakeups(stop);
    private final JobExecution execution;
    private final PollPass pass;
    private final PollLoop loop;
    private @Nullable Thread poller;
    private volatile @Nullable ExecutorService workers;
    private final boolean ownsWorkers;
    private boolean started;
    private boolean closed;

    /**
     * Created by {@link AybJobs}.
     *
     * @param jobs       where the queue lives
     * @param clock      the coordination clock: leases, due ticks and the queue's timestamps
     * @param admin      this instance's schedule admin, whose additions wake the runner at once
     * @param statements the SQL of running jobs, which {@link #close()} cancels on the server
     * @param listener   told of each attempt's outcome
     * @param planner    plans target-lag refreshes on each poll
     */
    JobRunner(JobStore jobs, Map<String, JobHandler> handlers, Clock clock, JobOptions options, ScheduleAdmin admin,
              CancellableStatements statements, JobListener listener, TargetLagPlanner planner) {
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(statements, "statements");
        this.options = Objects.requireNonNull(options, "options");
        Map<String, JobHandler> handlersByType = Map.copyOf(handlers);
        this.ownsWorkers = options.executor() == null;
        this.workers = options.executor();
        // Outcomes are retried while the database is away, until the runner closes.
        this.execution = new JobExecution(jobs, handlersByType, clock, options.workerId(), statements,
                new OutcomeRecorder(options.workerId(), () -> !stop.isStopping()), listener);
        JobClaiming claiming = new WorkerThreadClaiming(jobs, options, handlersByType.keySet(), running, stop,
                wakeups, execution, () -> workers);
        this.pass = new PollPass(jobs, clock, handlersByType.keySet(), claiming, planner);
        LeaseRenewal leases = new LeaseRenewal(jobs, options.workerId(), options.leaseDuration(), running);
        this.loop = new PollLoop(jobs, clock, options, handlersByType.keySet(), pass, leases, running, wakeups, stop);
        admin.onWorkAdded(wakeups::wakeUp);
    }

    public String workerId() {
        return options.workerId();
    }

    /** Starts polling and running jobs. Idempotent; a closed runner cannot be started again. */
    public synchronized JobRunner start() {
        if (closed) {
            throw new IllegalStateException("job runner " + workerId() + " is closed");
        }
        if (started) {
            return this;
        }
        started = true;
        if (ownsWorkers) {
            workers = Executors.newFixedThreadPool(options.concurrency(), namedThreads("ayb-jobs-worker-"));
        }
        poller = new Thread(loop, "ayb-jobs-poller");
        poller.setDaemon(true);
        poller.start();
        LOG.info("Job runner {} started ({} concurrent jobs)", workerId(), options.concurrency());
        return this;
    }

    public synchronized boolean isRunning() {
        return started && !closed;
    }

    /** Jobs this instance is running right now. */
    public int runningJobs() {
        return running.size();
    }

    /**
     * Stops claiming, lets running jobs finish within the shutdown grace, then stops the rest and hands them
     * back to the queue (their leases released, the attempt not counted). Idempotent. An executor passed in
     * through {@link JobOptions} is left running.
     *
     * <p>A job is handed back only once nothing of it runs any more, so that no other instance starts it while
     * it still runs here: its thread is interrupted and the SQL it is executing is canceled on the server
     * ({@link java.sql.Statement#cancel()}; a refresh is then recorded as failed with PostgreSQL's answer, which
     * also becomes the job's last error). A job that does not stop even so (a handler that ignores interrupts
     * and runs no SQL through the library) is not handed back: it keeps its lease, no longer renewed, and
     * another instance runs it again once the lease has expired. A poller still waiting on the database when
     * the grace runs out claims nothing afterwards: whatever it claims late goes straight back to the queue.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!started) {
            return;
        }
        stop.stop();
        wakeups.wakeUp();
        long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
        joinQuietly(poller, Durations.max(Duration.ofNanos(deadline - System.nanoTime()), POLLER_PATIENCE));
        if (ownsWorkers) {
            workers.shutdown();
        }
        awaitRunningJobs(deadline);
        running.all().forEach(this::stop);
        awaitRunningJobs(System.nanoTime() + STOP_PATIENCE.toNanos());
        if (ownsWorkers) {
            workers.shutdownNow();
            awaitQuietly(workers);
        }
        for (RunningJob unstopped : running.all()) {
            LOG.warn("Job {} ({}) did not stop; it keeps its lease, no longer renewed, and is run again by another"
                    + " instance once the lease expires", unstopped.job.id(), unstopped.job.type());
        }
        running.clear();
        LOG.info("Job runner {} stopped", workerId());
    }

    /** Interrupts a job that outlived the grace and cancels its SQL; one that never started is handed back. */
    private void stop(RunningJob entry) {
        entry.stopRequested = true;
        if (entry.abandon()) {
            running.remove(entry);
            execution.handBack(entry.job, null);
            return;
        }
        Future<?> future = entry.future;
        if (future != null) {
            future.cancel(true);
        }
        CancellableStatements.Scope scope = entry.scope;
        if (scope != null) {
            scope.cancel();
        }
    }

    private void awaitRunningJobs(long deadlineNanos) {
        while (!running.isEmpty() && System.nanoTime() < deadlineNanos) {
            sleepQuietly(Duration.ofMillis(20));
        }
    }

    /** One pass on the calling thread, jobs dispatched to the executor; returns when work is next due. */
    Instant pollOnce() {
        return pass.run().nextWork();
    }

    /** See {@link RetryBackoff#after}. */
    static Duration backoff(int attempt) {
        return RetryBackoff.after(attempt);
    }

    private static ThreadFactory namedThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void joinQuietly(Thread thread, Duration patience) {
        try {
            thread.join(Math.max(patience.toMillis(), 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
