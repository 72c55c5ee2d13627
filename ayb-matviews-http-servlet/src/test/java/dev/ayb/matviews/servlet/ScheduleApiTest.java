package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The life of a schedule through {@code /api/admin/schedules}, starting from the seed's curl example:
 * create, list, read by id and by name, change, disable, enable, run now, delete.
 */
class ScheduleApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String SCHEDULES = "/api/admin/schedules";

    private AdminApi api;

    @BeforeEach
    void start() {
        SampleSchema.create(PG);
        api = AdminApi.withJobs(PG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private JsonNode createdFromTheSeedExample() {
        Reply reply = SeedScheduleExample.send(api, SeedScheduleExample.BODY);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    /** JSON objects compare by content: PostgreSQL's jsonb keeps the keys, not their order. */
    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Instant instant(JsonNode json, String field) {
        return Instant.parse(json.get(field).asText());
    }

    /** The top of an hour, as "0 * * * *" fires. */
    private static void assertTopOfAnHourWithinTheNextHour(Instant nextRun, Instant notBefore) {
        ZonedDateTime utc = nextRun.atZone(ZoneOffset.UTC);
        assertThat(utc.getMinute()).isZero();
        assertThat(utc.getSecond()).isZero();
        assertThat(utc.getNano()).isZero();
        assertThat(nextRun).isAfter(notBefore).isBeforeOrEqualTo(notBefore.plus(Duration.ofHours(1)));
    }

    @Test
    void theSeedExampleCreatesTheScheduleAndAnswers201WithEveryFieldAndItsLocation() {
        Instant before = Instant.now();

        Reply reply = SeedScheduleExample.send(api, SeedScheduleExample.BODY);

        assertThat(reply.status()).isEqualTo(201);
        JsonNode json = reply.json();
        assertThat(Fields.of(json)).containsExactlyElementsOf(WireFields.SCHEDULE);
        assertThat(json.get("name").asText()).isEqualTo("leaderboard_hourly");
        assertThat(json.get("jobType").asText()).isEqualTo("materialized_view_refresh");
        assertThat(json.get("cronExpr").asText()).isEqualTo("0 * * * *");
        assertThat(json.get("timezone").asText()).isEqualTo("UTC");
        assertThat(json.get("payload")).isEqualTo(json("{\"schema\": \"public\", \"view_name\": \"leaderboard\"}"));
        assertThat(json.get("enabled").asBoolean()).isTrue();
        assertThat(json.get("maxAttempts").asInt()).isEqualTo(3);
        assertTopOfAnHourWithinTheNextHour(instant(json, "nextRunAt"), before);
        assertThat(json.get("lastRunAt").isNull()).isTrue();
        assertThat(json.get("createdAt").asText()).endsWith("Z");
        assertThat(json.get("updatedAt").asText()).isEqualTo(json.get("createdAt").asText());
        String id = json.get("id").asText();
        assertThat(reply.header("Location")).isEqualTo(SCHEDULES + "/" + id);
        assertThat(api.get(reply.header("Location")).json()).isEqualTo(json);
        assertThat(api.jobs().schedules().get("leaderboard_hourly").id().toString()).isEqualTo(id);
    }

    @Test
    void listReturnsEverySchedule() {
        JsonNode created = createdFromTheSeedExample();
        api.post(SCHEDULES, "{\"name\": \"a_first\", \"jobType\": \"materialized_view_refresh\","
                + " \"cronExpr\": \"@daily\", \"payload\": {\"view_name\": \"leaderboard\"}}");

        Reply reply = api.get(SCHEDULES);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("count").asInt()).isEqualTo(2);
        assertThat(reply.json().get("items")).extracting(item -> item.get("name").asText())
                .containsExactly("a_first", "leaderboard_hourly");
        assertThat(reply.json().get("items").get(1)).isEqualTo(created);
    }

    @Test
    void listIsEmptyWithoutSchedules() {
        Reply reply = api.get(SCHEDULES);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("items").size()).isZero();
        assertThat(reply.json().get("count").asInt()).isZero();
    }

    @Test
    void getFindsAScheduleByIdAndByName() {
        JsonNode created = createdFromTheSeedExample();

        Reply byId = api.get(SCHEDULES + "/" + created.get("id").asText());
        Reply byName = api.get(SCHEDULES + "/leaderboard_hourly");

        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.json()).isEqualTo(created);
        assertThat(byName.status()).isEqualTo(200);
        assertThat(byName.json()).isEqualTo(created);
    }

    @Test
    void patchChangesTheCronExpressionAndKeepsEveryOtherField() {
        JsonNode created = createdFromTheSeedExample();
        Instant before = Instant.now();

        Reply reply = api.patch(SCHEDULES + "/leaderboard_hourly", "{\"cronExpr\": \"*/15 * * * *\"}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("cronExpr").asText()).isEqualTo("*/15 * * * *");
        assertThat(instant(json, "nextRunAt").atZone(ZoneOffset.UTC).getMinute() % 15).isZero();
        assertThat(instant(json, "nextRunAt")).isAfter(before).isBeforeOrEqualTo(before.plus(Duration.ofMinutes(15)));
        for (String unchanged : new String[] {"id", "name", "jobType", "payload", "timezone", "enabled", "maxAttempts",
                "createdAt"}) {
            assertThat(json.get(unchanged)).as(unchanged).isEqualTo(created.get(unchanged));
        }
        assertThat(api.get(SCHEDULES + "/leaderboard_hourly").json()).isEqualTo(json);
    }

    @Test
    void putChangesTheFieldsItCarriesAndLeavesTheOthers() {
        JsonNode created = createdFromTheSeedExample();

        Reply reply = api.put(SCHEDULES + "/" + created.get("id").asText(),
                "{\"name\": \"leaderboard_nightly\", \"timezone\": \"Europe/Paris\", \"maxAttempts\": 5,"
                        + " \"payload\": {\"schema\": \"public\", \"view_name\": \"leaderboard\", \"note\": null}}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("name").asText()).isEqualTo("leaderboard_nightly");
        assertThat(json.get("timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(json.get("maxAttempts").asInt()).isEqualTo(5);
        assertThat(json.get("payload"))
                .isEqualTo(json("{\"schema\": \"public\", \"view_name\": \"leaderboard\", \"note\": null}"));
        assertThat(json.get("cronExpr")).isEqualTo(created.get("cronExpr"));
        assertThat(json.get("jobType")).isEqualTo(created.get("jobType"));
        assertThat(json.get("enabled")).isEqualTo(created.get("enabled"));
        assertThat(api.get(SCHEDULES + "/leaderboard_hourly").status()).isEqualTo(404);
        assertThat(api.get(SCHEDULES + "/leaderboard_nightly").json()).isEqualTo(json);
    }

    @Test
    void disableClearsTheNextRunAndKeepsTheCronExpression() {
        createdFromTheSeedExample();

        Reply reply = api.post(SCHEDULES + "/leaderboard_hourly/disable");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(Fields.of(reply.json())).containsExactlyElementsOf(WireFields.SCHEDULE);
        assertThat(reply.json().get("enabled").asBoolean()).isFalse();
        assertThat(reply.json().get("nextRunAt").isNull()).isTrue();
        assertThat(reply.json().get("cronExpr").asText()).isEqualTo("0 * * * *");
        assertThat(api.jobs().schedules().get("leaderboard_hourly").enabled()).isFalse();
    }

    @Test
    void enableRecomputesTheNextRunFromNow() {
        createdFromTheSeedExample();
        api.post(SCHEDULES + "/leaderboard_hourly/disable");
        Instant before = Instant.now();

        Reply reply = api.post(SCHEDULES + "/leaderboard_hourly/enable");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("enabled").asBoolean()).isTrue();
        assertThat(reply.json().get("cronExpr").asText()).isEqualTo("0 * * * *");
        assertTopOfAnHourWithinTheNextHour(instant(reply.json(), "nextRunAt"), before);
    }

    @Test
    void runEnqueuesOneJobForTheScheduleWithoutTouchingTheSchedule() {
        JsonNode created = createdFromTheSeedExample();
        String scheduleId = created.get("id").asText();

        Reply reply = api.post(SCHEDULES + "/leaderboard_hourly/run");

        assertThat(reply.status()).isEqualTo(202);
        JsonNode job = reply.json();
        assertThat(Fields.of(job)).containsExactlyElementsOf(WireFields.JOB);
        assertThat(job.get("type").asText()).isEqualTo("materialized_view_refresh");
        assertThat(job.get("state").asText()).isEqualTo("queued");
        assertThat(job.get("scheduleId").asText()).isEqualTo(scheduleId);
        assertThat(job.get("payload")).isEqualTo(created.get("payload"));
        assertThat(job.get("attempts").asInt()).isZero();
        assertThat(job.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(job.get("runAt").asText()).endsWith("Z");
        for (String unset : new String[] {"leaseUntil", "workerId", "lastError", "lastRunAt", "completedAt",
                "canceledAt", "result"}) {
            assertThat(job.get(unset).isNull()).as(unset).isTrue();
        }
        assertThat(reply.header("Location")).isEqualTo("/api/admin/jobs/" + job.get("id").asText());
        assertThat(api.get(reply.header("Location")).json()).isEqualTo(job);
        assertThat(api.get(SCHEDULES + "/" + scheduleId).json()).isEqualTo(created);
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs WHERE schedule_id = '" + scheduleId + "'"))
                .isEqualTo(1);
    }

    @Test
    void deleteAnswers204AndTheScheduleIsThenNotFound() {
        JsonNode created = createdFromTheSeedExample();

        Reply reply = api.delete(SCHEDULES + "/" + created.get("id").asText());

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        Reply after = api.get(SCHEDULES + "/leaderboard_hourly");
        assertThat(after.status()).isEqualTo(404);
        assertThat(after.message()).isEqualTo("schedule not found");
        assertThat(api.delete(SCHEDULES + "/leaderboard_hourly").status()).isEqualTo(404);
    }

    @Test
    void previewListsTheNextRunsOfACronExpressionInItsTimeZone() {
        Reply reply = api.get(SCHEDULES + "/preview?cronExpr=0%209%20*%20*%20*&timezone=Europe/Paris&count=3");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(Fields.of(json)).containsExactly("cronExpr", "timezone", "nextRuns");
        assertThat(json.get("cronExpr").asText()).isEqualTo("0 9 * * *");
        assertThat(json.get("timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(json.get("nextRuns")).hasSize(3);
        Instant previous = Instant.now();
        for (JsonNode run : json.get("nextRuns")) {
            assertThat(run.asText()).endsWith("Z");
            Instant at = Instant.parse(run.asText());
            assertThat(at.atZone(ZoneId.of("Europe/Paris")).getHour()).isEqualTo(9);
            assertThat(at).isAfter(previous);
            previous = at;
        }
    }

    @Test
    void previewDefaultsToFiveRunsInUtc() {
        Reply reply = api.get(SCHEDULES + "/preview?cronExpr=@hourly");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("timezone").asText()).isEqualTo("UTC");
        assertThat(reply.json().get("nextRuns")).hasSize(5);
    }

    @Test
    void previewRefusesAnInvalidCronExpressionTimeZoneOrCount() {
        Reply badCron = api.get(SCHEDULES + "/preview?cronExpr=not%20a%20cron");
        Reply noCron = api.get(SCHEDULES + "/preview");
        Reply badZone = api.get(SCHEDULES + "/preview?cronExpr=@hourly&timezone=Mars/Olympus");
        Reply badCount = api.get(SCHEDULES + "/preview?cronExpr=@hourly&count=many");
        Reply tooMany = api.get(SCHEDULES + "/preview?cronExpr=@hourly&count=101");

        assertThat(badCron.status()).isEqualTo(400);
        assertThat(badCron.message()).isEqualTo("invalid cron expression");
        assertThat(noCron.status()).isEqualTo(400);
        assertThat(noCron.message()).isEqualTo("cronExpr is required");
        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badZone.message()).isEqualTo("invalid timezone");
        assertThat(badCount.status()).isEqualTo(400);
        assertThat(badCount.message()).isEqualTo("count must be an integer");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.message()).isEqualTo("count must be between 1 and 100");
    }

    @Test
    void previewIsNotMistakenForAScheduleNamedPreview() {
        Reply created = api.post(SCHEDULES, "{\"name\": \"preview\", \"jobType\": \"materialized_view_refresh\","
                + " \"cronExpr\": \"@daily\", \"payload\": {\"view_name\": \"leaderboard\"}}");

        Reply preview = api.get(SCHEDULES + "/preview?cronExpr=@hourly");
        Reply byId = api.get(SCHEDULES + "/" + created.json().get("id").asText());

        assertThat(preview.json().has("nextRuns")).isTrue();
        assertThat(byId.json().get("name").asText()).isEqualTo("preview");
    }
}
