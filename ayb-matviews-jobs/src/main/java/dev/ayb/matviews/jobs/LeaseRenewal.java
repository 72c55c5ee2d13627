package dev.ayb.matviews.jobs;

import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Duration;
import java.time.Instant;

/** Keeps the leases of the jobs this runner is running: renewed every third of the lease, in one write. */
final class LeaseRenewal {
    private final JobStore jobs;
    private final String workerId;
    private final Duration leaseDuration;
    private final RunningJobs running;
    // Not read from the clock at start: the database's clock may be out of reach as the poller starts.
    private Instant lastRenewal = Instant.MIN;

    LeaseRenewal(JobStore jobs, String workerId, Duration leaseDuration, RunningJobs running) {
        this.jobs = jobs;
        this.workerId = workerId;
        this.leaseDuration = leaseDuration;
        this.running = running;
    }

    /** Renews when jobs run here and a third of the lease has passed since the last renewal. */
    void renewIfDue(Instant now) {
        if (!running.isEmpty() && Duration.between(lastRenewal, now).compareTo(every()) >= 0) {
            jobs.renewLeases(workerId, running.ids(), now.plus(leaseDuration));
            lastRenewal = now;
        }
    }

    /** How often leases are renewed: a third of the lease, so two renewals may fail before one expires. */
    Duration every() {
        return leaseDuration.dividedBy(3);
    }
}
