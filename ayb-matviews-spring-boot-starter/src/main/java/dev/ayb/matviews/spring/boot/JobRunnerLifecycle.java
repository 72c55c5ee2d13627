package dev.ayb.matviews.spring.boot;

import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobRunner;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the scheduler's {@link JobRunner} with the application context and closes it with the context: running
 * jobs get the runner's shutdown grace, then go back to the queue for another instance.
 */
public final class JobRunnerLifecycle implements SmartLifecycle {
    private final JobRunner runner;

    /** @param jobs built with jobs enabled */
    public JobRunnerLifecycle(AybJobs jobs) {
        this.runner = Objects.requireNonNull(jobs, "jobs").jobRunner();
    }

    @Override
    public void start() {
        runner.start();
    }

    @Override
    public void stop() {
        runner.close();
    }

    @Override
    public boolean isRunning() {
        return runner.isRunning();
    }

    /** The runner this bean starts and stops. */
    public JobRunner runner() {
        return runner;
    }
}
