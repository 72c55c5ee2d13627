package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.json.WireJson;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Change a schedule; options not given stay as they are.",
            "A new cron expression or time zone moves the next run; other changes keep it.",
            "Use enable / disable to switch the schedule on or off."})
final class SchedulesUpdateCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id | name>", description = "The schedule's id or name.")
    String ref;

    @Option(names = "--name", paramLabel = "<name>", order = 1, description = "New unique name.")
    String name;

    @Option(names = "--job-type", paramLabel = "<type>", order = 2, description = "New job type.")
    String jobType;

    @Option(names = "--cron", paramLabel = "<expression>", order = 3, description = "New cron expression.")
    String cron;

    @Option(names = "--timezone", paramLabel = "<zone>", order = 4, description = "New IANA time zone.")
    String timezone;

    @Option(names = "--payload", paramLabel = "<json>", order = 5, converter = Payload.Converter.class,
            description = "New payload, a JSON object (replaces the old one).")
    Payload payload;

    @Option(names = "--max-attempts", paramLabel = "<n>", order = 6, description = "New attempts per job, 1 to 100.")
    Integer maxAttempts;

    @Mixin
    JsonOutput json;

    SchedulesUpdateCommand(CliContext context) {
        super(context);
    }

    @Override
    void checkArguments() {
        if (Stream.of(name, jobType, cron, timezone, payload, maxAttempts).allMatch(Objects::isNull)) {
            throw CliFailure.usage("nothing to update: give at least one of --name, --job-type, --cron,"
                    + " --timezone, --payload, --max-attempts");
        }
    }

    @Override
    void run(ScheduleAdmin schedules, Output output) {
        Schedule updated = schedules.update(ref, new ScheduleSpec(name, jobType, cron, timezone,
                payload == null ? null : payload.values(), null, maxAttempts));
        if (json.requested) {
            output.json(WireJson.schedule(updated));
        } else {
            output.line("Updated schedule " + ScheduleSummary.of(updated));
        }
    }
}
