package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Enqueue one run of a schedule's job now, without changing its next run.",
            "An application instance with jobs enabled runs it; the tool does not wait for it unless --wait is given.",
            "With --wait, it exits 0 once the job completed and 1 when it failed, was canceled or --timeout passed;"
                    + " a terminal shows the job's state meanwhile."})
final class SchedulesRunCommand extends ScheduleCommand {
    /** Often enough that a short job's end is seen at once, rarely enough to cost the database nothing. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    @Parameters(paramLabel = "<id | name>", description = "The schedule's id or name.")
    String ref;

    @Option(names = "--wait", order = 1, description = "Wait until the job has finished, and exit with its outcome.")
    boolean waitForJob;

    @Option(names = "--timeout", paramLabel = "<duration>", order = 2, converter = DurationConverter.class,
            description = "How long --wait waits, e.g. 30s, 2h (default: 10m).")
    Duration timeout = Duration.ofMinutes(10);

    @Mixin
    JsonOutput json;

    SchedulesRunCommand(CliContext context) {
        super(context);
    }

    @Override
    void checkArguments() {
        if (timeout.isZero() || timeout.isNegative()) {
            throw CliFailure.usage("--timeout must be positive");
        }
    }

    @Override
    void run(ScheduleAdmin schedules, Output output) {
        Schedule schedule = schedules.get(ref);
        Job job = schedules.runNow(schedule.id().toString());
        if (!waitForJob) {
            if (json.requested) {
                output.json(WireJson.job(job));
            } else {
                output.line("Enqueued job " + job.id() + " for schedule " + schedule.name());
            }
            return;
        }
        Job finished = awaitEnd(schedules, job, output);
        if (json.requested) {
            output.json(WireJson.job(finished));
        } else {
            output.line("Job " + finished.id() + " for schedule " + schedule.name() + " " + finished.state().wireName()
                    + (finished.result() == null ? "" : ": " + finished.result()));
        }
        if (finished.state() != JobState.COMPLETED) {
            throw CliFailure.error("job " + finished.id() + " " + finished.state().wireName()
                    + (finished.lastError() == null ? "" : ": " + finished.lastError()), null);
        }
    }

    private Job awaitEnd(ScheduleAdmin schedules, Job enqueued, Output output) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Job job = enqueued;
        while (!job.state().isFinished()) {
            if (Instant.now().isAfter(deadline)) {
                throw CliFailure.error("job " + job.id() + " still " + job.state().wireName() + " after "
                        + DurationConverter.format(timeout) + "; is an instance with jobs enabled running?"
                        + " Follow it with 'ayb jobs show " + job.id() + "'", null);
            }
            output.progress("Job " + job.id() + ": " + job.state().wireName() + ", attempt " + job.attempts() + " of "
                    + job.maxAttempts() + ", waited " + Display.age(start, Instant.now()));
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliFailure.error("interrupted while waiting for job " + job.id(), e);
            }
            job = schedules.job(job.id());
        }
        output.endProgress();
        return job;
    }
}
