package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List jobs, newest first: type, state, attempts, when they run and their last error.")
final class JobsListCommand extends ScheduleCommand {
    @Option(names = "--state", paramLabel = "<state>", order = 1, converter = JobStateConverter.class,
            completionCandidates = JobStateConverter.Names.class,
            description = "Only jobs in this state: queued, running, completed, failed or canceled.")
    @Nullable JobState state;

    @Option(names = "--type", paramLabel = "<type>", order = 2,
            description = "Only jobs of this type, e.g. materialized_view_refresh.")
    @Nullable String type;

    @Option(names = "--limit", paramLabel = "<n>", order = 3,
            description = "How many jobs to show, 1 to " + ScheduleAdmin.MAX_JOB_LIST_LIMIT + " (default: 50).")
    int limit = 50;

    @Mixin
    JsonOutput json;

    JobsListCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(ScheduleAdmin admin, Output output) {
        List<Job> jobs = admin.jobs(state, type == null || type.isEmpty() ? null : type, limit);
        if (json.requested) {
            output.json(CliJson.array(jobs, WireJson::job));
            return;
        }
        if (jobs.isEmpty()) {
            output.line("No jobs.");
            return;
        }
        TextTable table = new TextTable("ID", "TYPE", "STATE", "ATTEMPTS", "RUN AT", "LAST RUN", "LAST ERROR");
        for (Job job : jobs) {
            table.row(job.id().toString(), job.type(), job.state().wireName(), job.attempts() + "/" + job.maxAttempts(),
                    Display.timestamp(job.runAt()), Display.lastRun(job.lastRunAt()),
                    job.lastError() == null ? Display.NONE : job.lastError());
        }
        output.table(table);
    }
}
