package dev.ayb.matviews.jobs;

import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Claiming for {@link AybJobs#pollOnce()}: up to the concurrency, one job at a time, each run on the calling
 * thread before the next is claimed. One at a time so that a job's lease starts when its run does, not while it
 * waits behind the others (nothing renews leases here).
 */
final class CallerThreadClaiming implements JobClaiming {
    private final JobStore jobs;
    private final Clock clock;
    private final String workerId;
    private final int concurrency;
    private final Duration leaseDuration;
    private final Collection<String> types;
    private final JobExecution execution;

    CallerThreadClaiming(JobStore jobs, Clock clock, JobOptions options, Collection<String> types,
                         JobExecution execution) {
        this.jobs = jobs;
        this.clock = clock;
        this.workerId = options.workerId();
        this.concurrency = options.concurrency();
        this.leaseDuration = options.leaseDuration();
        this.types = types;
        this.execution = execution;
    }

    @Override
    public List<JobAttempt> claimAndRun(Instant now) {
        List<JobAttempt> attempts = new ArrayList<>();
        for (int run = 0; run < concurrency; run++) {
            Instant claimedAt = run == 0 ? now : clock.instant();
            List<Job> claimed = jobs.claim(workerId, 1, claimedAt, leaseDuration, types);
            if (claimed.isEmpty()) {
                break;
            }
            RunningJob entry = new RunningJob(claimed.get(0));
            entry.start();
            attempts.add(execution.run(entry));
        }
        return attempts;
    }
}
