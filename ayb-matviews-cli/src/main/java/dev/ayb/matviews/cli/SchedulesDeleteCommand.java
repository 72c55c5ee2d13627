package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Delete a schedule. Jobs it already enqueued are not affected.")
final class SchedulesDeleteCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id | name>", description = "The schedule's id or name.")
    String ref;

    SchedulesDeleteCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin schedules, Output output) {
        // Looked up first so the message names the schedule even when the id was given.
        Schedule schedule = schedules.get(ref);
        schedules.delete(schedule.id().toString());
        output.line("Deleted schedule " + schedule.name() + " (id " + schedule.id() + ")");
    }
}
