package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "retry", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Queue a failed or canceled job again, with a fresh count of attempts.",
            "Any other state is refused (exit 1): the job is left as it is."})
final class JobsRetryCommand extends ScheduleCommand {
    @Parameters(paramLabel = "<id>", converter = JobId.class, description = "The job's id.")
    UUID id;

    @Mixin
    JsonOutput json;

    JobsRetryCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin admin, Output output) {
        Job job = admin.retryJob(id);
        if (json.requested) {
            output.json(WireJson.job(job));
        } else {
            output.line("Queued job " + JobSummary.of(job));
        }
    }
}
