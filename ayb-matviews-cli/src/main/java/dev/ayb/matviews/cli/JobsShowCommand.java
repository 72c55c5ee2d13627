package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show one job: its payload, state, attempts, lease, last error and result.")
final class JobsShowCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id>", converter = JobId.class, description = "The job's id.")
    UUID id;

    @Mixin
    JsonOutput json;

    JobsShowCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin admin, Output output) {
        Job job = admin.job(id);
        if (json.requested) {
            output.json(WireJson.job(job));
            return;
        }
        TextTable table = new TextTable("FIELD", "VALUE");
        for (Map.Entry<String, String> field : JobSummary.fields(job).entrySet()) {
            table.row(field.getKey(), field.getValue());
        }
        output.table(table);
    }
}
