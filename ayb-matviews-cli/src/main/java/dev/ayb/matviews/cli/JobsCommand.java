package dev.ayb.matviews.cli;

import picocli.CommandLine.Command;

/** {@code ayb jobs}: groups the commands on the job queue; run alone it prints its usage. */
@Command(name = "jobs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Inspect the job queue, retry failed or canceled jobs and cancel queued ones.",
            "The jobs run on the application instances that have jobs enabled; the tool runs none."})
final class JobsCommand {
}
