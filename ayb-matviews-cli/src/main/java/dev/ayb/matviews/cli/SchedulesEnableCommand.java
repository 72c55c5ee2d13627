package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "enable", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Enable a schedule; its next run is computed from now.")
final class SchedulesEnableCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id | name>", description = "The schedule's id or name.")
    String ref;

    @Mixin
    JsonOutput json;

    SchedulesEnableCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin schedules, Output output) {
        Schedule enabled = schedules.enable(ref);
        if (json.requested) {
            output.json(WireJson.schedule(enabled));
        } else {
            output.line("Enabled schedule " + ScheduleSummary.of(enabled));
        }
    }
}
