package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.CronSchedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.json.WireJson;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ayb schedules preview}: the next run times of a cron expression, by the same rules as a schedule's. It
 * needs no database (the connection options are accepted and ignored), so a cron expression can be checked before
 * a schedule is created or changed.
 */
@Command(name = "preview", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show the next run times of a cron expression in a time zone, as a schedule would fire.",
            "Needs no database."})
final class SchedulesPreviewCommand implements Callable<Integer> {
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    @Option(names = "--cron", required = true, paramLabel = "<expression>", order = 1,
            description = "Five-field cron expression (or six with seconds first, or @hourly, @daily, ...).")
    String cron;

    @Option(names = "--timezone", paramLabel = "<zone>", order = 2,
            description = "IANA time zone the cron expression is read in (default: UTC).")
    String timezone = ScheduleSpec.DEFAULT_TIMEZONE;

    @Option(names = "--count", paramLabel = "<n>", order = 3,
            description = "How many run times, 1 to " + ScheduleAdmin.MAX_PREVIEW_COUNT + " (default: 5).")
    int count = 5;

    @Mixin
    JsonOutput json;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    SchedulesPreviewCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<Instant> runs = ScheduleAdmin.preview(cron, timezone, count, Instant.now());
        Output output = Output.of(spec, context.terminal());
        if (json.requested) {
            output.json(WireJson.cronPreview(cron, timezone, runs));
            return ExitCode.OK;
        }
        ZoneId zone = CronSchedule.zone(timezone);
        TextTable table = new TextTable("RUN AT (UTC)", "LOCAL TIME (" + zone.getId() + ")");
        for (Instant run : runs) {
            table.row(Display.timestamp(run), LOCAL_TIME.format(run.truncatedTo(ChronoUnit.SECONDS).atZone(zone)));
        }
        output.table(table);
        return ExitCode.OK;
    }
}
