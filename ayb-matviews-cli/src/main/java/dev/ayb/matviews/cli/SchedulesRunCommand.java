package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Enqueue one run of a schedule's job now, without changing its next run.",
            "An application instance with jobs enabled runs it; the tool does not wait for it."})
final class SchedulesRunCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id | name>", description = "The schedule's id or name.")
    String ref;

    @Mixin
    JsonOutput json;

    SchedulesRunCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin schedules, Output output) {
        Schedule schedule = schedules.get(ref);
        Job job = schedules.runNow(schedule.id().toString());
        if (json.requested) {
            output.json(WireJson.job(job));
        } else {
            output.line("Enqueued job " + job.id() + " for schedule " + schedule.name());
        }
    }
}
