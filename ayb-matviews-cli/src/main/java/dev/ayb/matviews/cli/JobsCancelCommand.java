package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Cancel a queued job, so that no instance runs it.",
            "A job that has started or finished is refused (exit 1): the job is left as it is."})
final class JobsCancelCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id>", converter = JobId.class, description = "The job's id.")
    UUID id;

    @Mixin
    JsonOutput json;

    JobsCancelCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin admin, Output output) {
        Job job = admin.cancelJob(id);
        if (json.requested) {
            output.json(WireJson.job(job));
        } else {
            output.line("Canceled job " + JobSummary.of(job));
        }
    }
}
