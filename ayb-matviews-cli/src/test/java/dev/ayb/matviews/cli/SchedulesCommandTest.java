package dev.ayb.matviews.cli;

import static dev.ayb.matviews.cli.MatviewsListCommandTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchedulesCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String PAYLOAD = "{\"schema\": \"public\", \"view_name\": \"leaderboard\"}";
    private static final Map<String, Object> LEADERBOARD = Map.of("schema", "public", "view_name", "leaderboard");

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void createStoresTheScheduleAndPrintsItsNameIdAndNextRun() {
        CliResult result = createHourly();

        Schedule created = schedules().get("leaderboard_hourly");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Created schedule leaderboard_hourly (id " + created.id() + "); next run "
                + created.nextRunAt().truncatedTo(ChronoUnit.SECONDS) + "\n");
        assertThat(result.err()).isEmpty();
        assertThat(created.jobType()).isEqualTo("materialized_view_refresh");
        assertThat(created.cronExpr()).isEqualTo("0 * * * *");
        assertThat(created.payload()).isEqualTo(LEADERBOARD);
        assertThat(created.timezone()).isEqualTo("UTC");
        assertThat(created.enabled()).isTrue();
        assertThat(created.maxAttempts()).isEqualTo(3);
        assertThat(created.nextRunAt().atZone(ZoneOffset.UTC).getMinute()).isZero();
    }

    @Test
    void createTakesTimezoneMaxAttemptsAndDisabled() {
        CliResult result = cli.run("schedules", "create", "--name", "nightly", "--job-type",
                "materialized_view_refresh", "--cron", "0 3 * * *", "--timezone", "Europe/Berlin",
                "--payload", "{\"view_name\": \"leaderboard\"}", "--max-attempts", "5", "--disabled");

        Schedule created = schedules().get("nightly");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).endsWith("; disabled, no next run\n");
        assertThat(created.timezone()).isEqualTo("Europe/Berlin");
        assertThat(created.maxAttempts()).isEqualTo(5);
        assertThat(created.enabled()).isFalse();
        assertThat(created.nextRunAt()).isNull();
    }

    @Test
    void createJsonPrintsTheScheduleWithTheApiFieldNames() throws Exception {
        CliResult result = cli.run("schedules", "create", "--name", "leaderboard_hourly", "--job-type",
                "materialized_view_refresh", "--cron", "0 * * * *", "--payload", PAYLOAD, "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(fieldNames(json)).containsExactly("id", "name", "jobType", "payload", "cronExpr", "timezone",
                "enabled", "maxAttempts", "nextRunAt", "lastRunAt", "createdAt", "updatedAt");
        Schedule created = schedules().get("leaderboard_hourly");
        assertThat(json.get("id").asText()).isEqualTo(created.id().toString());
        assertThat(json.get("payload").get("view_name").asText()).isEqualTo("leaderboard");
        assertThat(json.get("payload").get("schema").asText()).isEqualTo("public");
        assertThat(json.get("enabled").asBoolean()).isTrue();
        assertThat(json.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(json.get("nextRunAt").asText()).isEqualTo(created.nextRunAt().toString());
        assertThat(json.get("lastRunAt").isNull()).isTrue();
    }

    @Test
    void listShowsEachScheduleInATable() {
        createHourly();
        Schedule created = schedules().get("leaderboard_hourly");

        CliResult result = cli.run("schedules", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().map(line -> List.of(line.split(" {2,}")))).containsExactly(
                List.of("NAME", "JOB TYPE", "CRON", "TIMEZONE", "ENABLED", "NEXT RUN", "LAST RUN"),
                List.of("leaderboard_hourly", "materialized_view_refresh", "0 * * * *", "UTC", "yes",
                        created.nextRunAt().truncatedTo(ChronoUnit.SECONDS).toString(), "never"));
    }

    @Test
    void listWithNoSchedulesSaysSo() {
        CliResult result = cli.run("schedules", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("No schedules.\n");
    }

    @Test
    void listJsonIsAnArrayOfSchedules() throws Exception {
        createHourly();

        JsonNode array = new ObjectMapper().readTree(cli.run("schedules", "list", "--json").out());

        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(1);
        assertThat(array.get(0).get("name").asText()).isEqualTo("leaderboard_hourly");
        assertThat(array.get(0).get("cronExpr").asText()).isEqualTo("0 * * * *");
    }

    @Test
    void updateChangesOnlyTheOptionsGiven() {
        createHourly();

        CliResult result = cli.run("schedules", "update", "leaderboard_hourly", "--cron", "30 * * * *",
                "--max-attempts", "7");

        Schedule updated = schedules().get("leaderboard_hourly");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Updated schedule leaderboard_hourly (id " + updated.id() + "); next run ");
        assertThat(updated.cronExpr()).isEqualTo("30 * * * *");
        assertThat(updated.maxAttempts()).isEqualTo(7);
        assertThat(updated.payload()).isEqualTo(LEADERBOARD);
        assertThat(updated.nextRunAt().atZone(ZoneOffset.UTC).getMinute()).isEqualTo(30);
    }

    @Test
    void updateByIdCanRenameAndReplaceThePayload() {
        createHourly();
        String id = schedules().get("leaderboard_hourly").id().toString();

        CliResult result = cli.run("schedules", "update", id, "--name", "leaderboard_often", "--payload",
                "{\"view_name\": \"leaderboard\"}");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(schedules().get(id).name()).isEqualTo("leaderboard_often");
        assertThat(schedules().get(id).payload()).isEqualTo(Map.of("view_name", "leaderboard"));
    }

    @Test
    void updateWithNothingToChangeIsAUsageError() {
        createHourly();

        CliResult result = cli.run("schedules", "update", "leaderboard_hourly");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: nothing to update: give at least one of --name, --job-type,");
    }

    @Test
    void disableClearsTheNextRunAndEnableComputesItAgain() {
        createHourly();

        CliResult disabled = cli.run("schedules", "disable", "leaderboard_hourly");
        assertThat(disabled.exitCode()).as(disabled.toString()).isZero();
        assertThat(disabled.out()).startsWith("Disabled schedule leaderboard_hourly (id ")
                .endsWith("; disabled, no next run\n");
        assertThat(schedules().get("leaderboard_hourly").enabled()).isFalse();
        assertThat(schedules().get("leaderboard_hourly").nextRunAt()).isNull();

        CliResult enabled = cli.run("schedules", "enable", "leaderboard_hourly");
        Schedule schedule = schedules().get("leaderboard_hourly");
        assertThat(enabled.exitCode()).as(enabled.toString()).isZero();
        assertThat(enabled.out()).endsWith("; next run " + schedule.nextRunAt().truncatedTo(ChronoUnit.SECONDS) + "\n");
        assertThat(schedule.enabled()).isTrue();
    }

    @Test
    void runEnqueuesOneJobNowAndPrintsItsId() {
        createHourly();
        Schedule schedule = schedules().get("leaderboard_hourly");

        CliResult result = cli.run("schedules", "run", "leaderboard_hourly");

        List<Job> jobs = schedules().jobs(null, null, 10);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(result.out()).isEqualTo("Enqueued job " + job.id() + " for schedule leaderboard_hourly\n");
            assertThat(job.state()).isEqualTo(JobState.QUEUED);
            assertThat(job.scheduleId()).isEqualTo(schedule.id());
            assertThat(job.payload()).isEqualTo(LEADERBOARD);
        });
        assertThat(schedules().get("leaderboard_hourly").nextRunAt()).as("the schedule itself is unchanged")
                .isEqualTo(schedule.nextRunAt());
    }

    @Test
    void runJsonPrintsTheJobWithTheApiFieldNames() throws Exception {
        createHourly();

        JsonNode json = new ObjectMapper().readTree(cli.run("schedules", "run", "leaderboard_hourly", "--json").out());

        // The original's job fields in its order, then result, exactly as the HTTP API writes them.
        assertThat(fieldNames(json)).containsExactly("id", "type", "payload", "state", "runAt", "leaseUntil",
                "workerId", "attempts", "maxAttempts", "lastError", "lastRunAt", "scheduleId", "createdAt",
                "updatedAt", "completedAt", "canceledAt", "result");
        assertThat(json.get("type").asText()).isEqualTo("materialized_view_refresh");
        assertThat(json.get("state").asText()).isEqualTo("queued");
        assertThat(json.get("scheduleId").asText()).isEqualTo(schedules().get("leaderboard_hourly").id().toString());
        assertThat(json.get("leaseUntil").isNull()).isTrue();
        assertThat(Instant.parse(json.get("runAt").asText())).isNotNull();
    }

    @Test
    void deleteRemovesTheSchedule() {
        createHourly();
        String id = schedules().get("leaderboard_hourly").id().toString();

        CliResult result = cli.run("schedules", "delete", id);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Deleted schedule leaderboard_hourly (id " + id + ")\n");
        assertThat(schedules().list()).isEmpty();
    }

    @Test
    void everyCommandOnAnUnknownScheduleIsNotFound() {
        for (String command : List.of("delete", "enable", "disable", "run")) {
            CliResult result = cli.run("schedules", command, "no_such_schedule");

            assertThat(result.exitCode()).as(command).isEqualTo(4);
            assertThat(result.out()).as(command).isEmpty();
            assertThat(result.err()).as(command).isEqualTo("Error: schedule not found\n");
        }
        CliResult update = cli.run("schedules", "update", "no_such_schedule", "--cron", "0 * * * *");
        assertThat(update.exitCode()).isEqualTo(4);
        assertThat(update.err()).isEqualTo("Error: schedule not found\n");
    }

    @Test
    void anInvalidCronExpressionIsRefused() {
        CliResult result = create("--cron", "61 * * * *");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error: invalid cron expression\n");
        assertThat(schedules().list()).isEmpty();
    }

    @Test
    void anUnknownTimezoneIsRefused() {
        CliResult result = create("--cron", "0 * * * *", "--timezone", "Mars/Olympus_Mons");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: invalid timezone\n");
    }

    @Test
    void aNameAlreadyTakenIsRefused() {
        createHourly();

        CliResult result = createHourly();

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: schedule name already exists\n");
    }

    @Test
    void anUnknownJobTypeIsRefusedWhenTheScheduleIsCreated() {
        CliResult result = cli.run("schedules", "create", "--name", "mystery", "--job-type", "send_newsletter",
                "--cron", "0 * * * *");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: unknown job type: send_newsletter (known: materialized_view_refresh)\n");
    }

    @Test
    void aRefreshPayloadWithoutViewNameIsRefused() {
        CliResult result = cli.run("schedules", "create", "--name", "leaderboard_hourly", "--job-type",
                "materialized_view_refresh", "--cron", "0 * * * *", "--payload", "{\"schema\": \"public\"}");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: payload.view_name is required\n");
    }

    @Test
    void aPayloadThatIsNotJsonIsAUsageError() {
        CliResult result = create("--cron", "0 * * * *", "--payload", "{schema: public}");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error: Invalid value for option '--payload': the payload is not valid"
                + " JSON: ");
        assertThat(schedules().list()).isEmpty();
    }

    @Test
    void aPayloadThatIsNotAJsonObjectIsAUsageError() {
        CliResult result = create("--cron", "0 * * * *", "--payload", "[\"leaderboard\"]");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: Invalid value for option '--payload': the payload must be a JSON"
                + " object; for example '{\"schema\": \"public\", \"view_name\": \"leaderboard\"}'\n");
    }

    @Test
    void maxAttemptsOutOfRangeIsRefusedAndNotANumberIsAUsageError() {
        CliResult outOfRange = create("--cron", "0 * * * *", "--payload", PAYLOAD, "--max-attempts", "0");
        assertThat(outOfRange.exitCode()).isEqualTo(1);
        assertThat(outOfRange.err()).isEqualTo("Error: maxAttempts must be between 1 and 100\n");

        CliResult notANumber = create("--cron", "0 * * * *", "--payload", PAYLOAD, "--max-attempts", "many");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).startsWith("Error: Invalid value for option '--max-attempts': 'many' is not an int");
    }

    @Test
    void createWithoutCronIsAUsageError() {
        CliResult result = cli.run("schedules", "create", "--name", "leaderboard_hourly", "--job-type",
                "materialized_view_refresh");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: Missing required option: '--cron=<expression>'");
    }

    private CliResult createHourly() {
        return cli.run("schedules", "create", "--name", "leaderboard_hourly", "--job-type", "materialized_view_refresh",
                "--cron", "0 * * * *", "--payload", PAYLOAD);
    }

    /** {@code schedules create} of a refresh of the leaderboard, with the options given. */
    private CliResult create(String... options) {
        String[] args = new String[options.length + 6];
        System.arraycopy(new String[] {"schedules", "create", "--name", "leaderboard_hourly", "--job-type",
            "materialized_view_refresh"}, 0, args, 0, 6);
        System.arraycopy(options, 0, args, 6, options.length);
        return cli.run(args);
    }

    private ScheduleAdmin schedules() {
        return cli.schedules();
    }
}
