package dev.ayb.matviews.jobs;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.support.PgErrors;
import dev.ayb.matviews.jobs.internal.CancellableStatements;
import dev.ayb.matviews.jobs.internal.Retries;
import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
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
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(30);
    private static final Duration OUTCOME_RETRY_MAX = Duration.ofSeconds(5);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** How long close() waits, after the grace, for the jobs it stopped (interrupted, their SQL canceled). */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);
    /** The least close() waits for the poller, however short the grace. */
    private static final Duration POLLER_PATIENCE = Duration.ofSeconds(1);
    private static final int SCHEDULE_BATCH = 100;
    private static final int MAX_ENQUEUE_ROUNDS = 50;

    /** The queue: the only place the runner reads or writes jobs and schedule ticks. */
    private final JobStore jobs;
    private final Map<String, JobHandler> handlers;
    private final Clock clock;
    private final JobOptions options;
    private final CancellableStatements statements;
    /** Jobs claimed by this runner and not yet finished: what it renews leases for and what close() stops. */
    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();
    /** Held while claimed jobs are dispatched and while close() sets {@link #stopping}: none is dispatched after. */
    private final Object dispatch = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean wakeRequested;
    private volatile boolean stopping;
    /** Both null until {@link #start()}; {@code workers} stays the options' executor when one was given. */
    private @Nullable Thread poller;
    private @Nullable ExecutorService workers;
    private boolean ownsWorkers;
    private boolean started;
    private boolean closed;

    /**
     * Created by {@link AybJobs}.
     *
     * @param jobs       where the queue lives
     * @param clock      the coordination clock: leases, due ticks and the queue's timestamps
     * @param admin      this instance's schedule admin, whose additions wake the runner at once
     * @param statements the SQL of running jobs, which {@link #close()} cancels on the server
     */
    JobRunner(JobStore jobs, Map<String, JobHandler> handlers, Clock clock, JobOptions options, ScheduleAdmin admin,
              CancellableStatements statements) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.handlers = Map.copyOf(handlers);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        this.statements = Objects.requireNonNull(statements, "statements");
        this.ownsWorkers = options.executor() == null;
        this.workers = options.executor();
        admin.onWorkAdded(this::wakeUp);
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
        poller = new Thread(this::pollUntilStopped, "ayb-jobs-poller");
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
        synchronized (dispatch) {
            stopping = true;
        }
        wakeUp();
        long deadline = System.nanoTime() + options.shutdownGrace().toNanos();
        joinQuietly(poller, max(Duration.ofNanos(deadline - System.nanoTime()), POLLER_PATIENCE));
        if (ownsWorkers) {
            workers.shutdown();
        }
        awaitRunningJobs(deadline);
        running.values().forEach(this::stop);
        awaitRunningJobs(System.nanoTime() + STOP_PATIENCE.toNanos());
        if (ownsWorkers) {
            workers.shutdownNow();
            awaitQuietly(workers);
        }
        for (RunningJob unstopped : running.values()) {
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
            running.remove(entry.job.id(), entry);
            handBack(entry.job, null);
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

    /** One pass: enqueue due ticks, recover dead workers' jobs, claim what fits. Returns when work is next due. */
    Instant pollOnce() {
        Instant now = clock.instant();
        // Again while anything was enqueued: a full batch, or a schedule catching up tick by tick.
        for (int round = 0; round < MAX_ENQUEUE_ROUNDS && jobs.enqueueDueSchedules(now, SCHEDULE_BATCH) > 0; round++) {
            LOG.trace("Enqueued due schedules; looking for more");
        }
        int recovered = jobs.recoverExpired(now);
        if (recovered > 0) {
            LOG.warn("Re-queued {} job(s) whose worker stopped renewing its lease", recovered);
        }
        claimAndDispatch(now);
        return jobs.nextWork(handlers.keySet()).earliest();
    }

    private void pollUntilStopped() {
        // Not read from the clock here: the database's clock may be out of reach as the poller starts.
        Instant lastRenewal = Instant.MIN;
        Instant lastPrune = Instant.MIN;
        Duration errorBackoff = Duration.ofSeconds(1);
        Instant nextDue = null;
        // A full pass at start and after an error; otherwise only when something is due or was added here.
        // "Nothing due at all" (nextDue null) is a known state, not an unknown one: it costs one query a wait.
        boolean fullPassNeeded = true;
        while (!stopping) {
            Duration wait;
            try {
                Instant now = clock.instant();
                // Renewed before the recovery pass in pollOnce: after an outage longer than the lease, this
                // worker's running jobs must be found leased to it, not taken for a dead worker's and re-run.
                if (!running.isEmpty() && Duration.between(lastRenewal, now).compareTo(renewEvery()) >= 0) {
                    jobs.renewLeases(workerId(), List.copyOf(running.keySet()), now.plus(options.leaseDuration()));
                    lastRenewal = now;
                }
                if (fullPassNeeded || (nextDue != null && !nextDue.isAfter(now)) || wakeRequested()) {
                    fullPassNeeded = false;
                    nextDue = pollOnce();
                } else {
                    nextDue = jobs.nextWork(handlers.keySet()).earliest();
                }
                now = clock.instant();
                if (lastPrune.equals(Instant.MIN) || Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) >= 0) {
                    jobs.pruneFinished(now.minus(options.finishedJobRetention()));
                    lastPrune = now;
                }
                wait = untilNextWork(nextDue, now);
                errorBackoff = Duration.ofSeconds(1);
            } catch (RuntimeException e) {
                // Typically the database is unreachable; keep trying, more slowly, without an app restart.
                LOG.warn("Job runner {} could not poll: {}", workerId(), e.getMessage());
                wait = errorBackoff;
                errorBackoff = min(errorBackoff.multipliedBy(2), MAX_ERROR_BACKOFF);
                nextDue = null;
                fullPassNeeded = true;
            }
            await(wait);
        }
    }

    private Duration untilNextWork(Instant nextDue, Instant now) {
        Duration wait = options.idlePollInterval();
        if (!running.isEmpty()) {
            wait = min(wait, renewEvery());
        }
        if (nextDue != null) {
            boolean jobDueButNoFreeSlot = !nextDue.isAfter(now) && running.size() >= options.concurrency();
            Duration untilDue = Duration.between(now, nextDue);
            // With every slot busy, a finished job wakes the poller; until then there is nothing to do.
            if (!jobDueButNoFreeSlot) {
                wait = min(wait, untilDue.isNegative() ? Duration.ZERO : untilDue);
            }
        }
        return wait;
    }

    private void claimAndDispatch(Instant now) {
        int free = options.concurrency() - running.size();
        if (free <= 0 || stopping) {
            return;
        }
        List<Job> claimed = jobs.claim(workerId(), free, now, options.leaseDuration(), handlers.keySet());
        List<Job> notRun = new ArrayList<>();
        synchronized (dispatch) {
            for (Job job : claimed) {
                if (!dispatch(job)) {
                    notRun.add(job);
                }
            }
        }
        // Claimed while close() ran, or refused by the executor: back to the queue, for this or another instance.
        notRun.forEach(job -> handBack(job, null));
    }

    /** Starts a claimed job; false when it will not run here and must be handed back. */
    private boolean dispatch(Job job) {
        if (stopping) {
            return false;
        }
        if (running.containsKey(job.id())) {
            // Recovered by another instance while this one was cut off, and claimed back here: the run
            // still going on here finishes it (the job is again this worker's); a second run would overlap.
            LOG.debug("Job {} is still running here; claimed back without starting it again", job.id());
            return true;
        }
        RunningJob entry = new RunningJob(job);
        running.put(job.id(), entry);
        try {
            entry.future = workers.submit(() -> run(entry));
            return true;
        } catch (RejectedExecutionException e) {
            // No slot may stay taken, and no lease renewed, for a job that will never run here.
            running.remove(job.id(), entry);
            LOG.warn("The executor of job runner {} refused job {} ({}); handed back to the queue", workerId(),
                    job.id(), job.type());
            return false;
        }
    }

    private void run(RunningJob entry) {
        if (!entry.start()) {
            return;
        }
        Job job = entry.job;
        try {
            JobResult result;
            try (CancellableStatements.Scope scope = statements.enter()) {
                entry.scope = scope;
                result = handlers.get(job.type()).handle(job);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended(entry, e);
                return;
            } catch (Exception | LinkageError e) {
                ended(entry, e);
                return;
            }
            String described = result == null ? null : result.describe();
            Instant finishedAt = clock.instant();
            try {
                recordOutcome(job, () -> jobs.complete(job.id(), workerId(), described, finishedAt));
                LOG.debug("Job {} ({}) completed: {}", job.id(), job.type(), described);
            } catch (MatviewException e) {
                // Not the database being away (e.g. a result text PostgreSQL refuses): the run cannot be
                // recorded as it was, so it counts as a failed attempt, as before.
                recordFailure(job, e);
            }
        } finally {
            running.remove(job.id(), entry);
            wakeUp();
        }
    }

    /** A handler that threw: a failed attempt, or, when close() stopped it, a job to hand back. */
    private void ended(RunningJob entry, Throwable failure) {
        if (entry.stopRequested) {
            // The interrupt was close()'s own; cleared so that handing the job back is not refused for it.
            Thread.interrupted();
            // Nothing of it runs any more (its SQL was canceled): back to the queue, with what stopping it answered.
            handBack(entry.job, "stopped by the shutdown of worker " + workerId() + ": " + describe(failure));
            return;
        }
        recordFailure(entry.job, failure);
    }

    /** Back to the queue, the attempt not counted; when that cannot be written, the lease runs out instead. */
    private void handBack(Job job, String reason) {
        try {
            jobs.release(job.id(), workerId(), reason, clock.instant());
            LOG.debug("Job {} ({}) handed back to the queue", job.id(), job.type());
        } catch (MatviewException e) {
            LOG.warn("Could not hand job {} back to the queue; it will be re-run when its lease expires: {}",
                    job.id(), e.getMessage());
        }
    }

    private void recordFailure(Job job, Throwable failure) {
        String message = describe(failure);
        boolean worthRetrying = Retries.worthRetrying(failure);
        Instant now = clock.instant();
        Instant retryAt = worthRetrying && job.attempts() < job.maxAttempts() ? now.plus(backoff(job.attempts())) : null;
        try {
            recordOutcome(job, () -> jobs.fail(job.id(), workerId(), message, retryAt, now));
        } catch (MatviewException e) {
            LOG.warn("Could not record the failure of job {}; it will be re-run when its lease expires", job.id(), e);
        }
        if (retryAt != null) {
            LOG.debug("Job {} ({}) failed, attempt {} of {}; retrying at {}: {}", job.id(), job.type(),
                    job.attempts(), job.maxAttempts(), retryAt, message);
        } else if (worthRetrying) {
            LOG.warn("Job {} ({}) failed for good after {} attempt(s): {}", job.id(), job.type(), job.attempts(),
                    message);
        } else {
            LOG.warn("Job {} ({}) failed for a reason a retry cannot fix: {}", job.id(), job.type(), message);
        }
    }

    private static String describe(Throwable failure) {
        return failure instanceof MatviewException ? failure.getMessage() : failure.toString();
    }

    /**
     * Writes how a finished run ended. While the database cannot be reached (an outage, a restart, a failover)
     * the write is retried rather than dropped: the job stays listed as running here, so the poller keeps its
     * lease, and a job whose work is done is not re-run after its lease expires just because its outcome could
     * not be written at that moment. A write that returns false found the job no longer this worker's (its
     * lease was lost and another instance took it): nothing more to do. Gives up when the runner closes.
     *
     * @throws MatviewException when the write failed for another reason than the database being unreachable
     */
    private void recordOutcome(Job job, BooleanSupplier write) {
        Duration wait = Duration.ofMillis(100);
        boolean warned = false;
        while (true) {
            try {
                if (!write.getAsBoolean()) {
                    LOG.warn("Job {} is no longer held by {}; the outcome of this run was not recorded", job.id(),
                            workerId());
                }
                return;
            } catch (MatviewException e) {
                if (!isUnreachable(e)) {
                    throw e;
                }
                if (stopping) {
                    LOG.warn("Could not record the outcome of job {}; it will be re-run when its lease expires",
                            job.id(), e);
                    return;
                }
                if (!warned) {
                    LOG.warn("Could not record the outcome of job {}; retrying until the database answers: {}",
                            job.id(), e.getMessage());
                    warned = true;
                }
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wait = min(wait.multipliedBy(2), OUTCOME_RETRY_MAX);
        }
    }

    /** The database did not answer (no connection, connection lost, server shutting down or starting up). */
    private static boolean isUnreachable(MatviewException e) {
        return e.code() == ErrorCode.DATABASE_ERROR && PgErrors.isConnectionFailure(e.sqlState().orElse(""));
    }

    /** {@code min(5 s · 2^(attempt-1), 5 min)} plus up to 20% jitter, so retries of many jobs spread out. */
    static Duration backoff(int attempt) {
        long exponent = Math.min(Math.max(attempt - 1, 0), 20);
        Duration base = min(FIRST_RETRY.multipliedBy(1L << exponent), MAX_RETRY);
        long jitterMillis = ThreadLocalRandom.current().nextLong(base.toMillis() / 5 + 1);
        return base.plusMillis(jitterMillis);
    }

    private Duration renewEvery() {
        return options.leaseDuration().dividedBy(3);
    }

    private void wakeUp() {
        lock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean wakeRequested() {
        lock.lock();
        try {
            boolean requested = wakeRequested;
            wakeRequested = false;
            return requested;
        } finally {
            lock.unlock();
        }
    }

    private void await(Duration wait) {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (!wakeRequested && !stopping && nanos > 0) {
                nanos = wake.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
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

    /** A job claimed by this runner and not yet finished. */
    private static final class RunningJob {
        private static final int WAITING = 0;
        private static final int STARTED = 1;
        private static final int ABANDONED = 2;

        final Job job;
        private final AtomicInteger phase = new AtomicInteger(WAITING);
        volatile @Nullable Future<?> future;
        /** The job's SQL, once its handler runs. */
        volatile CancellableStatements.@Nullable Scope scope;
        /** Set by close(): a failure from now on is the stop, not the job's own. */
        volatile boolean stopRequested;

        RunningJob(Job job) {
            this.job = job;
        }

        /** False when close() abandoned the job before a thread took it up. */
        boolean start() {
            return phase.compareAndSet(WAITING, STARTED);
        }

        /** True when no thread has taken the job up, and now none will. */
        boolean abandon() {
            return phase.compareAndSet(WAITING, ABANDONED);
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
