package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ayb jobs list | show | retry | cancel}: the job routes of the admin HTTP API, on the same calls. */
class JobsCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);
    private Schedule schedule;

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
        cli.registerLeaderboard();
        schedule = cli.schedules().create(new ScheduleSpec("leaderboard_hourly", "materialized_view_refresh",
                "0 * * * *", null, Map.of("schema", "public", "view_name", "leaderboard"), true, 2));
    }

    @Test
    void anEmptyQueueSaysSo() {
        CliResult result = cli.run("jobs", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("No jobs.\n");
    }

    @Test
    void listShowsEachJobOnOneLineNewestFirst() {
        Job first = cli.schedules().runNow(schedule.name());
        Job second = cli.schedules().runNow(schedule.name());

        CliResult result = cli.run("jobs", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines().findFirst().orElseThrow())
                .startsWith("ID").contains("TYPE", "STATE", "ATTEMPTS", "RUN AT", "LAST RUN", "LAST ERROR");
        assertThat(result.out().lines().skip(1).map(line -> line.split(" {2,}")[0]))
                .containsExactly(second.id().toString(), first.id().toString());
        assertThat(result.out().lines().skip(1).findFirst().orElseThrow().split(" {2,}"))
                .startsWith(second.id().toString(), "materialized_view_refresh", "queued", "0/2");
    }

    @Test
    void listFiltersByStateAndTypeAndItsJsonIsAnArrayOfTheApisJobs() throws Exception {
        Job queued = cli.schedules().runNow(schedule.name());
        Job canceled = cli.schedules().cancelJob(cli.schedules().runNow(schedule.name()).id());

        CliResult result = cli.run("jobs", "list", "--state", "canceled", "--type", "materialized_view_refresh",
                "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json.findValuesAsText("id")).containsExactly(canceled.id().toString());
        assertThat(json.get(0).get("payload").get("view_name").asText()).isEqualTo("leaderboard");
        assertThat(cli.run("jobs", "list", "--type", "other").out()).isEqualTo("No jobs.\n");
        assertThat(cli.run("jobs", "list", "--limit", "1").out()).doesNotContain(queued.id().toString());
    }

    @Test
    void anUnknownStateOrALimitOutOfRangeIsRefused() {
        CliResult badState = cli.run("jobs", "list", "--state", "sleeping");
        CliResult badLimit = cli.run("jobs", "list", "--limit", "0");

        assertThat(badState.exitCode()).isEqualTo(2);
        assertThat(badState.err()).contains("state must be one of queued, running, completed, failed, canceled");
        assertThat(badLimit.exitCode()).isEqualTo(1);
        assertThat(badLimit.err()).isEqualTo("Error: limit must be between 1 and 1000\n");
    }

    @Test
    void showPrintsEveryFieldAndItsJsonIsTheApisJob() throws Exception {
        Job job = cli.schedules().runNow(schedule.name());

        CliResult text = cli.run("jobs", "show", job.id().toString());
        CliResult json = cli.run("jobs", "show", job.id().toString(), "--json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("ID ", job.id().toString(), "STATE ", "queued",
                "{\"schema\":\"public\",\"view_name\":\"leaderboard\"}", "0 of 2", schedule.id().toString());
        JsonNode document = new ObjectMapper().readTree(json.out());
        assertThat(document.get("id").asText()).isEqualTo(job.id().toString());
        assertThat(document.get("state").asText()).isEqualTo("queued");
        assertThat(document.get("scheduleId").asText()).isEqualTo(schedule.id().toString());
    }

    @Test
    void anUnknownJobIsNotFoundAndAMalformedIdAUsageError() {
        CliResult unknown = cli.run("jobs", "show", UUID.randomUUID().toString());
        CliResult shortForm = cli.run("jobs", "show", "1-1-1-1-1");

        assertThat(unknown.exitCode()).isEqualTo(4);
        assertThat(unknown.err()).isEqualTo("Error: job not found\n");
        assertThat(shortForm.exitCode()).isEqualTo(2);
        assertThat(shortForm.err()).contains("invalid job id format");
    }

    @Test
    void cancelStopsAQueuedJobAndRetryQueuesItAgain() throws Exception {
        Job job = cli.schedules().runNow(schedule.name());

        CliResult canceled = cli.run("jobs", "cancel", job.id().toString());
        assertThat(canceled.exitCode()).as(canceled.toString()).isZero();
        assertThat(canceled.out()).isEqualTo("Canceled job " + job.id() + " (materialized_view_refresh): canceled,"
                + " attempt 0 of 2\n");
        assertThat(cli.schedules().job(job.id()).state()).isEqualTo(JobState.CANCELED);

        CliResult retried = cli.run("jobs", "retry", job.id().toString(), "--json");
        assertThat(retried.exitCode()).as(retried.toString()).isZero();
        assertThat(new ObjectMapper().readTree(retried.out()).get("state").asText()).isEqualTo("queued");
        assertThat(cli.schedules().job(job.id()).state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void aChangeTheJobsStateDoesNotAllowExitsOneAndLeavesItAsItIs() {
        Job job = cli.schedules().runNow(schedule.name());

        CliResult retried = cli.run("jobs", "retry", job.id().toString());

        assertThat(retried.exitCode()).isEqualTo(1);
        assertThat(retried.err()).isEqualTo("Error: job is queued; only failed or canceled jobs can be retried\n");
        assertThat(cli.schedules().job(job.id()).state()).isEqualTo(JobState.QUEUED);

        cli.run("jobs", "cancel", job.id().toString());
        CliResult canceledTwice = cli.run("jobs", "cancel", job.id().toString());
        assertThat(canceledTwice.exitCode()).isEqualTo(1);
        assertThat(canceledTwice.err()).isEqualTo("Error: job is canceled; only queued jobs can be canceled\n");
    }
}
