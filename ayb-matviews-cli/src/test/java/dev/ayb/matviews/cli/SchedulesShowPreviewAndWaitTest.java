package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ayb schedules show}, {@code schedules preview} (no database needed) and {@code schedules run --wait}. */
class SchedulesShowPreviewAndWaitTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
        cli.registerLeaderboard();
    }

    @Test
    void previewNeedsNoDatabaseAndShowsEachRunInUtcAndInTheZone() {
        CliResult result = Cli.runWith(Map.of(), "schedules", "preview", "--cron", "0 9 * * *", "--timezone",
                "Europe/Paris", "--count", "3");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("RUN AT (UTC)          LOCAL TIME (Europe/Paris)");
        assertThat(lines.subList(1, 4)).allSatisfy(line -> assertThat(line).matches(
                "\\d{4}-\\d\\d-\\d\\dT0[78]:00:00Z {2,}\\d{4}-\\d\\d-\\d\\dT09:00:00\\+0[12]:00"));
    }

    @Test
    void previewJsonIsTheHttpApisAnswer() throws Exception {
        CliResult result = Cli.runWith(Map.of(), "schedules", "preview", "--cron", "@hourly", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("cronExpr").asText()).isEqualTo("@hourly");
        assertThat(json.get("timezone").asText()).isEqualTo("UTC");
        assertThat(json.get("nextRuns")).hasSize(5);
    }

    @Test
    void previewRefusesWhatASchedulesCronWouldRefuse() {
        CliResult badCron = Cli.runWith(Map.of(), "schedules", "preview", "--cron", "every hour");
        CliResult badCount = Cli.runWith(Map.of(), "schedules", "preview", "--cron", "@daily", "--count", "101");

        assertThat(badCron.exitCode()).isEqualTo(1);
        assertThat(badCron.err()).startsWith("Error: ").contains("cron");
        assertThat(badCount.exitCode()).isEqualTo(1);
        assertThat(badCount.err()).isEqualTo("Error: count must be between 1 and 100\n");
    }

    @Test
    void showPrintsOneScheduleByNameOrIdAndItsJson() throws Exception {
        Schedule schedule = createSchedule("leaderboard_hourly", "leaderboard");

        CliResult byName = cli.run("schedules", "show", "leaderboard_hourly");
        CliResult byId = cli.run("schedules", "show", schedule.id().toString(), "--json");

        assertThat(byName.exitCode()).as(byName.toString()).isZero();
        assertThat(byName.out()).contains("NAME ", "leaderboard_hourly", "CRON ", "0 * * * *",
                "{\"schema\":\"public\",\"view_name\":\"leaderboard\"}", "MAX ATTEMPTS ");
        assertThat(new ObjectMapper().readTree(byId.out()).get("name").asText()).isEqualTo("leaderboard_hourly");
        assertThat(cli.run("schedules", "show", "nope").exitCode()).isEqualTo(4);
    }

    @Test
    void runWaitExitsZeroOnceAnInstanceHasCompletedTheJob() {
        createSchedule("leaderboard_hourly", "leaderboard");

        CliResult result = withAJobRunner(() -> cli.run("schedules", "run", "leaderboard_hourly", "--wait"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).matches("Job \\S+ for schedule leaderboard_hourly completed.*\n");
        // Not a terminal: no progress line.
        assertThat(result.err()).isEmpty();
        assertThat(cli.library().registry().get(Views.LEADERBOARD).lastRefreshAt()).isNotNull();
    }

    @Test
    void runWaitExitsOneWhenTheJobFailed() {
        createSchedule("missing_hourly", "no_such_view");

        CliResult result = withAJobRunner(() -> cli.run("schedules", "run", "missing_hourly", "--wait", "--json"));

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("\"state\" : \"failed\"");
        assertThat(result.err()).startsWith("Error: job ").contains(" failed: ");
    }

    @Test
    void runWaitGivesUpAfterTheTimeoutWhenNoInstanceRunsJobs() {
        createSchedule("leaderboard_hourly", "leaderboard");

        CliResult result = cli.run("schedules", "run", "leaderboard_hourly", "--wait", "--timeout", "1s");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: job ").contains(" still queued after 1s; ");
    }

    @Test
    void runWaitShowsTheJobsStateOnATerminal() {
        createSchedule("leaderboard_hourly", "leaderboard");

        CliResult result = Cli.runOn(FakeTerminal.interactive(0), cli.environment(), "schedules", "run",
                "leaderboard_hourly", "--wait", "--timeout", "1s");

        assertThat(result.err()).contains("\r\u001b[KJob ").contains(": queued, attempt 0 of 1, waited ");
    }

    private Schedule createSchedule(String name, String view) {
        return cli.schedules().create(new ScheduleSpec(name, "materialized_view_refresh", "0 * * * *", null,
                Map.of("schema", "public", "view_name", view), true, 1));
    }

    /** An application instance with jobs enabled, polling in the background while {@code command} runs. */
    private CliResult withAJobRunner(java.util.function.Supplier<CliResult> command) {
        AybJobs instance = AybJobs.builder(cli.library()).build();
        AtomicBoolean stop = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            while (!stop.get()) {
                instance.pollOnce();
                try {
                    Thread.sleep(Duration.ofMillis(100).toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        runner.start();
        try {
            return command.get();
        } finally {
            stop.set(true);
            try {
                runner.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
