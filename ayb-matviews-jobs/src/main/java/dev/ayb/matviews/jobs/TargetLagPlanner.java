package dev.ayb.matviews.jobs;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.support.TargetedViews;
import dev.ayb.matviews.jobs.internal.JdbcJobs;
import dev.ayb.matviews.jobs.internal.NextWorkQuery;
import dev.ayb.matviews.jobs.internal.TargetLagJobHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps views with a target lag within it: reads them all in one query ({@link TargetedViews}), decides with
 * {@link TargetLagPlan}, stores the plans that changed (so that every instance shows them) and enqueues the refreshes
 * that are due as {@code materialized_view_target_lag} jobs.
 *
 * <p>Exactly once across instances, with nothing but the job queue: each enqueued job takes one of
 * {@link TargetLagOptions#maxConcurrentRefreshes()} dedupe keys, and the queue holds at most one queued or running
 * job per key, so the cap holds across the deployment and two instances planning at the same moment cannot both add
 * a job for a slot. Should they still enqueue one view twice (two free slots, one instant), the second job finds it
 * current or locked and skips: every refresh is "only if changed".
 */
final class TargetLagPlanner {
    // The runner's logger: these lines are the runner's, whichever of its parts writes them.
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    /**
     * A wait may end a little before the time it was for: a plan due within this is made now, rather than on an
     * extra wake-up a moment later (which would cost the queue's own poll query a second time).
     */
    private static final Duration EARLY = Duration.ofMillis(50);
    /** A planned refresh that fails is planned again rather than retried by the queue, with the spacing. */
    private static final int MAX_ATTEMPTS = 1;

    /** For an instance that plans nothing. */
    static final TargetLagPlanner NONE = new TargetLagPlanner(null, null, null, TargetLagOptions.defaults(),
            Duration.ofDays(365));

    private final @Nullable TargetedViews views;
    private final @Nullable JdbcJobs jobs;
    private final @Nullable NextWorkQuery nextWork;
    private final TargetLagOptions options;
    private final Duration planEvery;
    private @Nullable Instant nextPlanAt;

    /**
     * @param nextWork  the runner's "when is the next work?", asked in the same statement as the views when the
     *                  planner plans on its own cadence ({@link #planIfDue})
     * @param planEvery the longest time between two plans (the runner's idle poll interval)
     */
    TargetLagPlanner(@Nullable TargetedViews views, @Nullable JdbcJobs jobs, @Nullable NextWorkQuery nextWork,
                     TargetLagOptions options, Duration planEvery) {
        this.views = views;
        this.jobs = jobs;
        this.nextWork = nextWork;
        this.options = Objects.requireNonNull(options, "options");
        this.planEvery = Objects.requireNonNull(planEvery, "planEvery");
    }

    /** When the planner next wants to run; null when it never does. */
    synchronized @Nullable Instant nextPlanAt() {
        return views == null ? null : nextPlanAt;
    }

    /**
     * Plans when it is time to (see {@link #nextPlanAt()}), reading the queue's next work in the same statement: an
     * idle runner then needs no other statement for this poll.
     */
    synchronized Outcome planIfDue(Instant now) {
        if (views == null || (nextPlanAt != null && now.plus(EARLY).isBefore(nextPlanAt))) {
            return Outcome.NOTHING;
        }
        if (nextWork == null) {
            return new Outcome(plan(now), null);
        }
        TargetedViews.WithSideRow<NextWorkQuery.Answer> read = views.read(nextWork);
        return new Outcome(plan(read.snapshot(), now), read.side());
    }

    /** Reads, decides, records and enqueues; returns how many jobs it enqueued. */
    synchronized int plan(Instant now) {
        if (views == null) {
            return 0;
        }
        return plan(views.read(), now);
    }

    private int plan(TargetedViews.Snapshot snapshot, Instant now) {
        if (views == null || jobs == null) {
            return 0;
        }
        TargetLagPlan plan = TargetLagPlan.of(snapshot, now, options);
        recordChangedPlans(snapshot, plan);
        int enqueued = 0;
        for (List<Registration> group : plan.groups()) {
            if (enqueue(group, now)) {
                enqueued++;
            }
        }
        Instant next = now.plus(planEvery);
        nextPlanAt = plan.nextDue() != null && plan.nextDue().isBefore(next) ? plan.nextDue() : next;
        return enqueued;
    }

    /**
     * What {@link #planIfDue} did.
     *
     * @param enqueued how many jobs it enqueued
     * @param queue    the queue's next work, read with the views before any of those jobs; null when it did not read
     */
    record Outcome(int enqueued, NextWorkQuery.@Nullable Answer queue) {
        static final Outcome NOTHING = new Outcome(0, null);
    }

    private void recordChangedPlans(TargetedViews.Snapshot snapshot, TargetLagPlan plan) {
        Map<UUID, @Nullable Instant> changed = new HashMap<>();
        for (TargetedViews.TargetedView view : snapshot.views()) {
            Registration registration = view.registration();
            Instant planned = plan.plans().get(registration.id());
            // The table keeps microseconds: compared at that precision, an unchanged plan is not written again.
            planned = planned == null ? null : planned.truncatedTo(ChronoUnit.MICROS);
            if (!Objects.equals(planned, registration.nextRefreshAt())) {
                changed.put(registration.id(), planned);
            }
        }
        views.recordPlans(changed);
    }

    /**
     * Into the first free slot; false when every slot was taken meanwhile, or another instance enqueued one of these
     * views first.
     */
    private boolean enqueue(List<Registration> group, Instant now) {
        List<UUID> ids = group.stream().map(Registration::id).toList();
        List<String> keys = new ArrayList<>();
        for (int slot = 0; slot < options.maxConcurrentRefreshes(); slot++) {
            keys.add(TargetedViews.KEY_PREFIX + slot);
        }
        boolean added = jobs.enqueueForViews(TargetLagJobHandler.JOB_TYPE, TargetLagJobHandler.payload(group),
                MAX_ATTEMPTS, ids, keys, now).isPresent();
        if (added) {
            LOG.debug("Enqueued the target-lag refresh of {}", group.stream()
                    .map(r -> r.qualifiedName().toString()).toList());
        }
        return added;
    }
}
