package dev.ayb.matviews.cli;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.ScheduleAdmin;

/**
 * A command on schedules and jobs as data. The tool runs no job: its scheduler is built with jobs off, as an
 * application instance that only manages the schedules its other instances run.
 */
abstract class ScheduleCommand extends DatabaseCommand {
    ScheduleCommand(CliContext context) {
        super(context);
    }

    @Override
    final void run(AybMatviews matviews, Output output) {
        run(AybJobs.builder(matviews).build().schedules(), output);
    }

    abstract void run(ScheduleAdmin schedules, Output output);
}
