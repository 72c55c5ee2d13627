package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.json.WireJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Create a cron schedule that enqueues a job at every tick.",
            "For materialized_view_refresh the payload names the view: " + Payload.EXAMPLE + "."})
final class SchedulesCreateCommand extends ScheduleCommand {
    @Option(names = "--name", required = true, paramLabel = "<name>", order = 1,
            description = "Unique name, at most 100 characters.")
    String name;

    @Option(names = "--job-type", required = true, paramLabel = "<type>", order = 2,
            description = "The job to enqueue, e.g. materialized_view_refresh.")
    String jobType;

    @Option(names = "--cron", required = true, paramLabel = "<expression>", order = 3,
            description = "Five-field cron expression (or six with seconds first, or @hourly, @daily, ...).")
    String cron;

    @Option(names = "--timezone", paramLabel = "<zone>", order = 4,
            description = "IANA time zone the cron expression is read in (default: UTC).")
    String timezone;

    @Option(names = "--payload", paramLabel = "<json>", order = 5, converter = Payload.Converter.class,
            description = "The job's payload, a JSON object (default: {}).")
    Payload payload;

    @Option(names = "--disabled", order = 6, description = "Create it disabled: it does not fire until enabled.")
    boolean disabled;

    @Option(names = "--max-attempts", paramLabel = "<n>", order = 7,
            description = "Attempts per job before it is marked failed, 1 to 100 (default: 3).")
    Integer maxAttempts;

    @Mixin
    JsonOutput json;

    SchedulesCreateCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin schedules, Output output) {
        Schedule created = schedules.create(new ScheduleSpec(name, jobType, cron, timezone,
                payload == null ? null : payload.values(), !disabled, maxAttempts));
        if (json.requested) {
            output.json(WireJson.schedule(created));
        } else {
            output.line("Created schedule " + ScheduleSummary.of(created));
        }
    }
}
