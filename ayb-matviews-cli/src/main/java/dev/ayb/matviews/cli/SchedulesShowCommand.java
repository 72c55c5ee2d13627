package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show one schedule: its job, cron expression, time zone, payload, attempts and runs.")
final class SchedulesShowCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id | name>", description = "The schedule's id or name.")
    String ref;

    @Mixin
    JsonOutput json;

    SchedulesShowCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin schedules, Output output) {
        Schedule s = schedules.get(ref);
        if (json.requested) {
            output.json(WireJson.schedule(s));
            return;
        }
        output.table(new TextTable("FIELD", "VALUE")
                .row("ID", s.id().toString())
                .row("NAME", s.name())
                .row("JOB TYPE", s.jobType())
                .row("CRON", s.cronExpr())
                .row("TIMEZONE", s.timezone())
                .row("PAYLOAD", CliJson.compact(s.payload()))
                .row("ENABLED", Display.yesNo(s.enabled()))
                .row("MAX ATTEMPTS", String.valueOf(s.maxAttempts()))
                .row("NEXT RUN", Display.timestamp(s.nextRunAt()))
                .row("LAST RUN", Display.lastRun(s.lastRunAt())));
    }
}
