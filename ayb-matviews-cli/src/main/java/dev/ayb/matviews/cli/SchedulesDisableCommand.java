package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "disable", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Disable a schedule: it keeps its settings but enqueues nothing until enabled again.")
final class SchedulesDisableCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id | name>", description = "The schedule's id or name.")
    String ref;

    @Mixin
    JsonOutput json;

    SchedulesDisableCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin schedules, Output output) {
        Schedule disabled = schedules.disable(ref);
        if (json.requested) {
            output.json(WireJson.schedule(disabled));
        } else {
            output.line("Disabled schedule " + ScheduleSummary.of(disabled));
        }
    }
}
