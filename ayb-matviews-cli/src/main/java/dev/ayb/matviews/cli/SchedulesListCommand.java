package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List the schedules, ordered by name, with their next and last runs.")
final class SchedulesListCommand extends ScheduleCommand {
    @Mixin
    JsonOutput json;

    SchedulesListCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin admin, Output output) {
        List<Schedule> schedules = admin.list();
        if (json.requested) {
            output.json(CliJson.array(schedules, WireJson::schedule));
            return;
        }
        if (schedules.isEmpty()) {
            output.line("No schedules.");
            return;
        }
        TextTable table = new TextTable("NAME", "JOB TYPE", "CRON", "TIMEZONE", "ENABLED", "NEXT RUN", "LAST RUN");
        for (Schedule s : schedules) {
            table.row(s.name(), s.jobType(), s.cronExpr(), s.timezone(), Display.yesNo(s.enabled()),
                    Display.timestamp(s.nextRunAt()), Display.lastRun(s.lastRunAt()));
        }
        output.table(table);
    }
}
