package dev.ayb.matviews.testkit.jobs;

import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobAttempt;
import dev.ayb.matviews.jobs.PollResult;
import dev.ayb.matviews.testkit.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs an {@link AybJobs}'s queue on the test's thread and clock: no thread, no sleep, no wait. Each
 * {@link #pollOnce()} is one pass of the job runner ({@link AybJobs#pollOnce()}): due schedule ticks become
 * jobs, expired leases are recovered, and due jobs run through their handlers before it returns, their
 * outcomes recorded as in production (completed, retried after the backoff, failed after the last attempt).
 * Time moves only when the test moves the clock.
 *
 * <pre>{@code
 * SettableClock clock = new SettableClock(Instant.parse("2026-03-01T09:00:00Z"));
 * AybJobs jobs = AybJobs.builder(matviews).jobHandler(myHandler)
 *         .jobOptions(JobOptions.defaults().withCoordinationClock(clock)).build();
 * ManualJobRunner runner = new ManualJobRunner(jobs, clock);
 * jobs.schedules().create(ScheduleSpec.of("hourly", "my_type", "0 * * * *"));
 * clock.advance(Duration.ofHours(1));
 * runner.pollOnce();   // the 10:00 tick's job has run
 * }</pre>
 *
 * <p>The {@code AybJobs} needs no {@code jobsEnabled(true)}; if it has it, its {@code JobRunner} must not be
 * started.
 */
public final class ManualJobRunner {
    /** More passes than any queue a test builds needs: a handler that keeps enqueuing work is a bug to report. */
    private static final int MAX_PASSES_UNTIL_IDLE = 1_000;

    private final AybJobs jobs;
    private final SettableClock clock;

    /**
     * @param jobs  the scheduler under test
     * @param clock the coordination clock of {@code jobs} ({@link dev.ayb.matviews.jobs.JobOptions#coordinationClock()})
     * @throws IllegalArgumentException when {@code jobs} coordinates on another clock: the test's moves would
     *                                  not reach the queue
     */
    public ManualJobRunner(AybJobs jobs, SettableClock clock) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (jobs.jobOptions().coordinationClock() != clock) {
            throw new IllegalArgumentException("the AybJobs must coordinate on this clock:"
                    + " JobOptions.withCoordinationClock(clock)");
        }
    }

    /** The clock the queue runs on. */
    public SettableClock clock() {
        return clock;
    }

    /** One pass at the clock's current time; returns what it did, the jobs it ran with their outcomes. */
    public PollResult pollOnce() {
        return jobs.pollOnce();
    }

    /** Moves the clock on by {@code duration}, then makes one pass. */
    public PollResult advanceAndPoll(Duration duration) {
        clock.advance(duration);
        return pollOnce();
    }

    /**
     * Passes at the clock's current time until one runs no job: everything due now has run, including jobs
     * that handlers enqueued. A retry falls due only after its backoff, so it waits for the clock to move.
     *
     * @return every job run, in order
     * @throws IllegalStateException when the queue does not become idle (a handler enqueuing work without end)
     */
    public List<JobAttempt> runUntilIdle() {
        List<JobAttempt> attempts = new ArrayList<>();
        for (int pass = 0; pass < MAX_PASSES_UNTIL_IDLE; pass++) {
            PollResult result = pollOnce();
            if (result.attempts().isEmpty()) {
                return attempts;
            }
            attempts.addAll(result.attempts());
        }
        throw new IllegalStateException("the job queue was not idle after " + MAX_PASSES_UNTIL_IDLE + " passes");
    }
}
