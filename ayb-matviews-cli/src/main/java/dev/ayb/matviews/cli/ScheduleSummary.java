package dev.ayb.matviews.cli;

import dev.ayb.matviews.jobs.Schedule;

/** The one-line account of a schedule that the schedule commands print after changing one. */
final class ScheduleSummary {
    private ScheduleSummary() {
    }

    /** e.g. {@code leaderboard_hourly (id ...); next run 2026-02-22T11:00:00Z}. */
    static String of(Schedule schedule) {
        return schedule.name() + " (id " + schedule.id() + "); " + nextRun(schedule);
    }

    static String nextRun(Schedule schedule) {
        if (!schedule.enabled()) {
            return "disabled, no next run";
        }
        return schedule.nextRunAt() == null ? "no next run" : "next run " + Display.timestamp(schedule.nextRunAt());
    }
}
