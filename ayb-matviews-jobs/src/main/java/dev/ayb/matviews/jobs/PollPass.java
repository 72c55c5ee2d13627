package dev.ayb.matviews.jobs;

import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One pass: enqueue due ticks and due target-lag refreshes, recover dead workers' jobs, claim what fits, and find when work is next due. */
final class PollPass {
    // The runner's logger: these lines are the runner's, whichever of its parts writes them.
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int SCHEDULE_BATCH = 100;
    private static final int MAX_ENQUEUE_ROUNDS = 50;

    private final JobStore jobs;
    private final Clock clock;
    private final Collection<String> types;
    private final JobClaiming claiming;
    private final TargetLagPlanner planner;

    /** @param types the job types this instance has handlers for: the only ones it claims */
    PollPass(JobStore jobs, Clock clock, Collection<String> types, JobClaiming claiming) {
        this(jobs, clock, types, claiming, TargetLagPlanner.NONE);
    }

    PollPass(JobStore jobs, Clock clock, Collection<String> types, JobClaiming claiming, TargetLagPlanner planner) {
        this.jobs = jobs;
        this.clock = clock;
        this.types = types;
        this.claiming = claiming;
        this.planner = planner;
    }

    /** The planner of target-lag refreshes this pass runs first. */
    TargetLagPlanner planner() {
        return planner;
    }

    PollResult run() {
        return run(true);
    }

    /** @param plan whether to plan target-lag refreshes first (false when the caller just did) */
    PollResult run(boolean plan) {
        Instant now = clock.instant();
        int enqueued = 0;
        // Again while anything was enqueued: a full batch, or a schedule catching up tick by tick.
        for (int round = 0; round < MAX_ENQUEUE_ROUNDS; round++) {
            int added = jobs.enqueueDueSchedules(now, SCHEDULE_BATCH);
            if (added <= 0) {
                break;
            }
            enqueued += added;
            LOG.trace("Enqueued due schedules; looking for more");
        }
        // A full pass plans too, so that the refreshes it finds due are claimed in this same pass.
        if (plan) {
            enqueued += planner.plan(now);
        }
        int recovered = jobs.recoverExpired(now);
        if (recovered > 0) {
            LOG.warn("Re-queued {} job(s) whose worker stopped renewing its lease", recovered);
        }
        List<JobAttempt> attempts = claiming.claimAndRun(now);
        return new PollResult(enqueued, recovered, attempts, jobs.nextWork(types).earliest());
    }
}
