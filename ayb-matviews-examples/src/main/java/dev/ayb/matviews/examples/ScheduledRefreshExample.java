package dev.ayb.matviews.examples;

import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.jobs.ScheduleSpec;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** A schedule that refreshes the leaderboard every two seconds, run by this process's job runner. */
public final class ScheduledRefreshExample {
    private ScheduledRefreshExample() {
    }

    public static void main(String[] args) throws Exception {
        SampleDatabase.runExample(dataSource -> run(dataSource, 2));
    }

    static void run(DataSource dataSource, int refreshes) throws InterruptedException {
        AybMatviews matviews = AybMatviews.builder().dataSource(dataSource).build();
        AybJobs jobs = AybJobs.builder(matviews).jobsEnabled(true).build();

        jobs.schedules().create(ScheduleSpec.of("leaderboard_often", "materialized_view_refresh", "*/2 * * * * *")
                .withPayload(Map.of("schema", "public", "view_name", "leaderboard")));

        JobRunner runner = jobs.jobRunner().start();
        try {
            List<RefreshRun> runs = List.of();
            while (runs.size() < refreshes) {
                Thread.sleep(200);
                runs = matviews.registry().find("public.leaderboard").isPresent()
                        ? matviews.registry().history(ViewRef.parse("public.leaderboard"), refreshes) : List.of();
            }
            runs.forEach(run -> System.out.printf("%s refreshed at %s by %s in %d ms: %s%n", run.qualifiedName(),
                    run.startedAt(), run.trigger(), run.durationMs(), run.status()));
        } finally {
            runner.close();
        }
    }
}
