package dev.ayb.matviews.jobs;

import java.time.Instant;
import java.util.List;

/** How a poll pass claims due jobs and gets them run: on worker threads, or one by one on the caller's. */
interface JobClaiming {
    /**
     * Claims what this instance can run now and starts (or runs) it.
     *
     * @return the runs that ended within this call; empty when the jobs run on other threads
     */
    List<JobAttempt> claimAndRun(Instant now);
}
