package dev.ayb.matviews.jobs;

import dev.ayb.matviews.jobs.internal.DatabaseClock;
import dev.ayb.matviews.jobs.internal.NextWorkQuery;
import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller thread's loop, until the runner stops: renew leases, run a pass when something is due (or was
 * added here), prune finished jobs now and then, and sleep until the next work. A failing database slows it
 * down instead of ending it.
 */
final class PollLoop implements Runnable {
    // The runner's logger: these lines are the runner's, whichever of its parts writes them.
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final Duration FIRST_ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_ERROR_BACKOFF = Duration.ofSeconds(30);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final JobStore jobs;
    private final Clock clock;
    private final JobOptions options;
    private final Collection<String> types;
    private final PollPass pass;
    private final LeaseRenewal leases;
    private final RunningJobs running;
    private final Wakeups wakeups;
    private final StopSignal stop;

    PollLoop(JobStore jobs, Clock clock, JobOptions options, Collection<String> types, PollPass pass,
             LeaseRenewal leases, RunningJobs running, Wakeups wakeups, StopSignal stop) {
        this.jobs = jobs;
        this.clock = clock;
        this.options = options;
        this.types = types;
        this.pass = pass;
        this.leases = leases;
        this.running = running;
        this.wakeups = wakeups;
        this.stop = stop;
    }

    @Override
    public void run() {
        // Not read from the clock here: the database's clock may be out of reach as the poller starts.
        Instant lastPrune = Instant.MIN;
        Duration errorBackoff = FIRST_ERROR_BACKOFF;
        @Nullable Instant nextDue = null;
        // A full pass at start and after an error; otherwise only when something is due or was added here.
        // "Nothing due at all" (nextDue null) is a known state, not an unknown one: it costs one query a wait.
        boolean fullPassNeeded = true;
        while (!stop.isStopping()) {
            Duration wait;
            try {
                Instant now = clock.instant();
                // Renewed before the recovery pass: after an outage longer than the lease, this worker's
                // running jobs must be found leased to it, not taken for a dead worker's and re-run.
                leases.renewIfDue(now);
                // Target lag costs an idle instance nothing beyond its one query per poll interval (or at a planned
                // refresh's due time): the planner's read also answers the queue's next work and the database's
                // clock. A refresh it enqueues is claimed by a full pass at once.
                TargetLagPlanner.Outcome planning = pass.planner().planIfDue(now);
                NextWorkQuery.@Nullable Answer queue = planning.queue();
                if (queue != null && clock instanceof DatabaseClock databaseClock) {
                    databaseClock.offer(queue.databaseTime(), queue.receivedNanos());
                }
                boolean planned = planning.enqueued() > 0;
                if (planned || fullPassNeeded || (nextDue != null && !nextDue.isAfter(now))
                        || wakeups.takeRequest()) {
                    fullPassNeeded = false;
                    nextDue = pass.run(!planned).nextWork();
                } else {
                    nextDue = (queue != null ? queue.nextWork() : jobs.nextWork(types)).earliest();
                }
                now = clock.instant();
                if (lastPrune.equals(Instant.MIN) || Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) >= 0) {
                    jobs.pruneFinished(now.minus(options.finishedJobRetention()));
                    lastPrune = now;
                }
                wait = untilNextWork(nextDue, now);
                errorBackoff = FIRST_ERROR_BACKOFF;
            } catch (RuntimeException e) {
                // Typically the database is unreachable; keep trying, more slowly, without an app restart.
                LOG.warn("Job runner {} could not poll: {}", options.workerId(), e.getMessage());
                wait = errorBackoff;
                errorBackoff = Durations.min(errorBackoff.multipliedBy(2), MAX_ERROR_BACKOFF);
                nextDue = null;
                fullPassNeeded = true;
            }
            wakeups.await(wait);
        }
    }

    private Duration untilNextWork(@Nullable Instant nextDue, Instant now) {
        Duration wait = options.idlePollInterval();
        Instant nextPlan = pass.planner().nextPlanAt();
        if (nextPlan != null) {
            Duration untilPlan = Duration.between(now, nextPlan);
            wait = Durations.min(wait, untilPlan.isNegative() ? Duration.ZERO : untilPlan);
        }
        if (!running.isEmpty()) {
            wait = Durations.min(wait, leases.every());
        }
        if (nextDue != null) {
            boolean jobDueButNoFreeSlot = !nextDue.isAfter(now) && running.size() >= options.concurrency();
            Duration untilDue = Duration.between(now, nextDue);
            // With every slot busy, a finished job wakes the poller; until then there is nothing to do.
            if (!jobDueButNoFreeSlot) {
                wait = Durations.min(wait, untilDue.isNegative() ? Duration.ZERO : untilDue);
            }
        }
        return wait;
    }
}
