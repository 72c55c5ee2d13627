package dev.ayb.matviews.cli;

import picocli.CommandLine.Command;

/** {@code ayb schedules}: groups the commands on cron schedules; run alone it prints its usage. */
@Command(name = "schedules", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Manage cron schedules that enqueue jobs, such as materialized_view_refresh.",
            "The jobs run on the application instances that have jobs enabled."})
final class SchedulesCommand {
}
