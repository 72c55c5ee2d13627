package dev.ayb.matviews.cli;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "enable", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Enable a schedule; its next run is computed from now.")
final class SchedulesEnableCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | name>", description = "The schedule's id or name.")
    String ref;

    @Mixin
    JsonOutput json;

    SchedulesEnableCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        Schedule enabled = matviews.schedules().enable(ref);
        if (json.requested) {
            output.json(WireJson.schedule(enabled));
        } else {
            output.line("Enabled schedule " + ScheduleSummary.of(enabled));
        }
    }
}
