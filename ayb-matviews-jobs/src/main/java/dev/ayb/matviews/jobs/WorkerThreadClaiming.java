package dev.ayb.matviews.jobs;

import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's claiming: as many jobs as it has free slots, each handed to the executor. A job that will not
 * run here (claimed while close() ran, or refused by the executor) goes straight back to the queue.
 */
final class WorkerThreadClaiming implements JobClaiming {
    // The runner's logger: these lines are the runner's, whichever of its parts writes them.
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore jobs;
    private final String workerId;
    private final int concurrency;
    private final Duration leaseDuration;
    private final Collection<String> types;
    private final RunningJobs running;
    private final StopSignal stop;
    private final Wakeups wakeups;
    private final JobExecution execution;
    /** The runner's executor: its own pool exists only once it is started. */
    private final Supplier<ExecutorService> workers;

    WorkerThreadClaiming(JobStore jobs, JobOptions options, Collection<String> types, RunningJobs running,
                         StopSignal stop, Wakeups wakeups, JobExecution execution, Supplier<ExecutorService> workers) {
        this.jobs = jobs;
        this.workerId = options.workerId();
        this.concurrency = options.concurrency();
        this.leaseDuration = options.leaseDuration();
        this.types = types;
        this.running = running;
        this.stop = stop;
        this.wakeups = wakeups;
        this.execution = execution;
        this.workers = workers;
    }

    @Override
    public List<JobAttempt> claimAndRun(Instant now) {
        int free = concurrency - running.size();
        if (free <= 0 || stop.isStopping()) {
            return List.of();
        }
        List<Job> claimed = jobs.claim(workerId, free, now, leaseDuration, types);
        List<Job> notRun = stop.whileDispatching(() -> {
            List<Job> refused = new ArrayList<>();
            for (Job job : claimed) {
                if (!dispatch(job)) {
                    refused.add(job);
                }
            }
            return refused;
        });
        // Claimed while close() ran, or refused by the executor: back to the queue, for this or another instance.
        notRun.forEach(job -> execution.handBack(job, null));
        return List.of();
    }

    /** Starts a claimed job; false when it will not run here and must be handed back. */
    private boolean dispatch(Job job) {
        if (stop.isStopping()) {
            return false;
        }
        if (running.contains(job.id())) {
            // Recovered by another instance while this one was cut off, and claimed back here: the run
            // still going on here finishes it (the job is again this worker's); a second run would overlap.
            LOG.debug("Job {} is still running here; claimed back without starting it again", job.id());
            return true;
        }
        RunningJob entry = new RunningJob(job);
        running.add(entry);
        try {
            entry.future = workers.get().submit(() -> runOnWorker(entry));
            return true;
        } catch (RejectedExecutionException e) {
            // No slot may stay taken, and no lease renewed, for a job that will never run here.
            running.remove(entry);
            LOG.warn("The executor of job runner {} refused job {} ({}); handed back to the queue", workerId,
                    job.id(), job.type());
            return false;
        }
    }

    private void runOnWorker(RunningJob entry) {
        if (!entry.start()) {
            return;
        }
        try {
            execution.run(entry);
        } finally {
            running.remove(entry);
            // A slot is free: the poller may claim again without waiting out its interval.
            wakeups.wakeUp();
        }
    }
}
