package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every refusal of {@code /api/admin/schedules}, with the original's status and exact message. */
class ScheduleApiErrorsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String SCHEDULES = "/api/admin/schedules";
    private static final String VALID_PAYLOAD = "{\"schema\": \"public\", \"view_name\": \"leaderboard\"}";

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

    /** A valid body with one field set to the given JSON text (or, with null, left out). */
    private static String body(String field, String json) {
        StringBuilder body = new StringBuilder("{");
        String[][] fields = {{"name", "\"leaderboard_hourly\""}, {"jobType", "\"materialized_view_refresh\""},
                {"cronExpr", "\"0 * * * *\""}, {"timezone", "\"UTC\""}, {"payload", VALID_PAYLOAD},
                {"enabled", "true"}, {"maxAttempts", null}};
        for (String[] each : fields) {
            String value = each[0].equals(field) ? json : each[1];
            if (value != null) {
                body.append(body.length() > 1 ? ", " : "").append('"').append(each[0]).append("\": ").append(value);
            }
        }
        return body.append('}').toString();
    }

    private Reply create(String field, String json) {
        return api.post(SCHEDULES, body(field, json));
    }

    private static void assertRefused(Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.message()).isEqualTo(message);
        assertThat(reply.json().get("code").asInt()).isEqualTo(status);
    }

    private void assertNothingCreated() {
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.job_schedules")).isZero();
    }

    @Test
    void theValidBodyOfTheseTestsIsAccepted() {
        assertThat(create(null, null).status()).isEqualTo(201);
    }

    @Test
    void aMissingOrBlankNameIsRefused() {
        for (String name : new String[] {null, "null", "\"\"", "\"   \""}) {
            assertRefused(create("name", name), 400, "name is required");
        }
        assertThat(create("name", null).error()).isEqualTo("name_required");
        assertNothingCreated();
    }

    @Test
    void aMissingJobTypeIsRefused() {
        assertRefused(create("jobType", null), 400, "jobType is required");
        assertRefused(create("jobType", "\"\""), 400, "jobType is required");
        assertNothingCreated();
    }

    @Test
    void aMissingCronExpressionIsRefused() {
        assertRefused(create("cronExpr", null), 400, "cronExpr is required");
        assertRefused(create("cronExpr", "\" \""), 400, "cronExpr is required");
        assertNothingCreated();
    }

    @Test
    void aNameOfMoreThan100CharactersIsRefused() {
        assertRefused(create("name", "\"" + "n".repeat(101) + "\""), 400, "name must be at most 100 characters");
        assertNothingCreated();
        assertThat(create("name", "\"" + "n".repeat(100) + "\"").status()).isEqualTo(201);
    }

    @Test
    void aJobTypeOfMoreThan100CharactersIsRefused() {
        assertRefused(create("jobType", "\"" + "t".repeat(101) + "\""), 400, "jobType must be at most 100 characters");
        assertNothingCreated();
    }

    @Test
    void anInvalidCronExpressionIsRefused() {
        for (String cron : new String[] {"\"every hour\"", "\"61 * * * *\"", "\"* * * *\"", "\"0 0 30 2 *\""}) {
            assertRefused(create("cronExpr", cron), 400, "invalid cron expression");
        }
        assertNothingCreated();
    }

    @Test
    void anInvalidTimeZoneIsRefused() {
        assertRefused(create("timezone", "\"Mars/Olympus_Mons\""), 400, "invalid timezone");
        assertNothingCreated();
    }

    @Test
    void anUnknownJobTypeIsRefusedWhenTheScheduleIsCreated() {
        Reply reply = create("jobType", "\"send_newsletter\"");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("unknown_job_type");
        assertThat(reply.message()).startsWith("unknown job type: send_newsletter");
        assertNothingCreated();
    }

    @Test
    void aPayloadThatIsNotAJsonObjectIsRefusedNamingTheField() {
        for (String payload : new String[] {"\"public.leaderboard\"", "[]", "42", "true"}) {
            assertRefused(create("payload", payload), 400, "payload must be a JSON object");
        }
        assertNothingCreated();
    }

    @Test
    void aRefreshPayloadWithoutViewNameIsRefused() {
        Reply reply = create("payload", "{\"schema\": \"public\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error()).isEqualTo("invalid_payload");
        assertThat(reply.message()).contains("view_name");
        assertNothingCreated();
    }

    @Test
    void fieldsOfTheWrongJsonTypeAreRefusedNamingTheField() {
        assertRefused(create("enabled", "\"yes\""), 400, "enabled must be a boolean");
        assertRefused(create("name", "42"), 400, "name must be a string");
        assertRefused(create("maxAttempts", "2.5"), 400, "maxAttempts must be an integer");
        assertRefused(create("maxAttempts", "\"3\""), 400, "maxAttempts must be an integer");
        assertNothingCreated();
    }

    @Test
    void maxAttemptsOutsideTheAllowedRangeIsRefused() {
        assertRefused(create("maxAttempts", "0"), 400, "maxAttempts must be between 1 and 100");
        assertRefused(create("maxAttempts", "101"), 400, "maxAttempts must be between 1 and 100");
        assertNothingCreated();
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        assertRefused(api.post(SCHEDULES, "name=leaderboard_hourly"), 400, "invalid JSON body");
        assertNothingCreated();
    }

    @Test
    void aDuplicateNameAnswers409() {
        assertThat(create(null, null).status()).isEqualTo(201);

        Reply reply = create("cronExpr", "\"@daily\"");

        assertRefused(reply, 409, "schedule name already exists");
        assertThat(reply.error()).isEqualTo("schedule_name_taken");
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.job_schedules")).isEqualTo(1);
    }

    @Test
    void renamingToATakenNameAnswers409() {
        create(null, null);
        api.post(SCHEDULES, body("name", "\"other\""));

        assertRefused(api.patch(SCHEDULES + "/other", "{\"name\": \"leaderboard_hourly\"}"), 409,
                "schedule name already exists");
    }

    @Test
    void everyRouteOfAnUnknownScheduleAnswers404() {
        for (String ref : new String[] {UUID.randomUUID().toString(), "no_such_schedule"}) {
            String path = SCHEDULES + "/" + ref;
            assertRefused(api.get(path), 404, "schedule not found");
            assertRefused(api.put(path, "{\"cronExpr\": \"@daily\"}"), 404, "schedule not found");
            assertRefused(api.patch(path, "{\"cronExpr\": \"@daily\"}"), 404, "schedule not found");
            assertRefused(api.delete(path), 404, "schedule not found");
            assertRefused(api.post(path + "/enable"), 404, "schedule not found");
            assertRefused(api.post(path + "/disable"), 404, "schedule not found");
            assertRefused(api.post(path + "/run"), 404, "schedule not found");
        }
        assertThat(api.get(SCHEDULES + "/no_such_schedule").error()).isEqualTo("schedule_not_found");
    }

    @Test
    void anUpdateIsValidatedLikeACreate() {
        create(null, null);
        String path = SCHEDULES + "/leaderboard_hourly";

        assertRefused(api.patch(path, "{\"cronExpr\": \"every hour\"}"), 400, "invalid cron expression");
        assertRefused(api.patch(path, "{\"timezone\": \"Nowhere/Land\"}"), 400, "invalid timezone");
        assertRefused(api.patch(path, "{\"name\": \"\"}"), 400, "name is required");
        assertRefused(api.put(path, "{\"payload\": []}"), 400, "payload must be a JSON object");
        assertThat(api.patch(path, "{\"jobType\": \"send_newsletter\"}").error()).isEqualTo("unknown_job_type");
        assertThat(api.get(path).json().get("cronExpr").asText()).isEqualTo("0 * * * *");
    }

    @Test
    void unknownMethodsAnswer405WithTheAllowedOnes() {
        Reply reply = api.delete(SCHEDULES);

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).isEqualTo("GET, POST");
    }
}
