package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Pools;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Change tracking over HTTP: {@code changeTracking} in the register and update bodies, {@code freshness} in every
 * registration, {@code ?ifChanged=} on refresh, and {@code GET /api/admin/matviews/{ref}/sources}.
 */
class ChangeTrackingApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String MATVIEWS = "/api/admin/matviews";

    private AdminApi api;

    @BeforeEach
    void start() {
        SampleSchema.create(PG);
        SampleSchema.createViewWithoutIndex(PG, "leaderboard2");
        api = AdminApi.start(PG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private JsonNode registerTracked() {
        Reply reply = api.post(MATVIEWS, "{\"viewName\":\"leaderboard\",\"changeTracking\":true}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    @Test
    void aViewRegisteredWithTrackingIsBehindUntilItsFirstRefreshThenCurrent() {
        JsonNode registered = registerTracked();

        assertThat(Fields.of(registered)).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(registered.get("changeTracking").asBoolean()).isTrue();
        assertThat(registered.at("/freshness/state").asText()).isEqualTo("behind");

        Reply refreshed = api.post(MATVIEWS + "/public.leaderboard/refresh");

        assertThat(Fields.of(refreshed.json())).as("no ifChanged, the usual answer").containsExactly("registration",
                "durationMs");
        assertThat(refreshed.json().at("/registration/freshness").toString())
                .isEqualTo("{\"state\":\"current\",\"behindSince\":null,\"reason\":null,\"lagMs\":0,"
                        + "\"nextRefreshAt\":null}");
        assertThat(api.get(MATVIEWS + "/public.leaderboard").json().at("/freshness/state").asText())
                .isEqualTo("current");
    }

    @Test
    void aViewRegisteredWithoutTrackingIsUnknownWithTheReason() {
        JsonNode registered = api.post(MATVIEWS, "{\"viewName\":\"leaderboard\"}").json();

        assertThat(registered.get("changeTracking").asBoolean()).isFalse();
        assertThat(registered.get("freshness").toString())
                .isEqualTo("{\"state\":\"unknown\",\"behindSince\":null,\"reason\":\"change tracking is off\","
                        + "\"lagMs\":null,\"nextRefreshAt\":null}");
    }

    @Test
    void theListGivesEachViewItsFreshnessAndASourceWriteMakesATrackedViewBehindSinceThen() {
        registerTracked();
        api.post(MATVIEWS, "{\"viewName\":\"leaderboard2\"}");
        api.post(MATVIEWS + "/public.leaderboard/refresh");

        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        JsonNode list = api.get(MATVIEWS).json();

        JsonNode leaderboard = list.get("items").get(0);
        assertThat(Fields.of(leaderboard)).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(leaderboard.at("/freshness/state").asText()).isEqualTo("behind");
        assertThat(Instant.parse(leaderboard.at("/freshness/behindSince").asText()))
                .isAfter(Instant.parse(leaderboard.get("lastSuccessAt").asText()));
        assertThat(leaderboard.at("/freshness/reason").isNull()).isTrue();
        assertThat(list.at("/items/1/freshness/state").asText()).isEqualTo("unknown");
    }

    @Test
    void ifChangedSkipsACurrentViewWithAHistoryRowAndRefreshesOnceASourceChanged() {
        registerTracked();
        api.post(MATVIEWS + "/public.leaderboard/refresh");

        Reply skipped = api.post(MATVIEWS + "/public.leaderboard/refresh?ifChanged=true");

        assertThat(skipped.status()).isEqualTo(200);
        assertThat(Fields.of(skipped.json())).containsExactly("registration", "durationMs", "skipped", "reason");
        assertThat(skipped.json().get("skipped").asBoolean()).isTrue();
        assertThat(skipped.json().get("reason").asText()).isEqualTo(RefreshService.SKIPPED_UNCHANGED);
        assertThat(skipped.json().at("/registration/lastRefreshStatus").asText()).isEqualTo("success");
        JsonNode history = api.get(MATVIEWS + "/public.leaderboard/history").json();
        assertThat(history.at("/items/0/status").asText()).isEqualTo("skipped");
        assertThat(history.at("/items/0/trigger").asText()).isEqualTo("http");
        assertThat(history.at("/items/1/status").asText()).isEqualTo("success");

        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        Reply ran = api.post(MATVIEWS + "/public.leaderboard/refresh?ifChanged=true");

        assertThat(ran.json().get("skipped").asBoolean()).isFalse();
        assertThat(ran.json().get("reason").isNull()).isTrue();
        assertThat(ran.json().at("/registration/freshness/state").asText()).isEqualTo("current");
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
    }

    @Test
    void ifChangedFalseAlwaysRefreshesAndAnUntrackedViewAlwaysRefreshes() {
        api.post(MATVIEWS, "{\"viewName\":\"leaderboard\"}");
        api.post(MATVIEWS + "/public.leaderboard/refresh");

        Reply untracked = api.post(MATVIEWS + "/public.leaderboard/refresh?ifChanged=true");
        Reply forced = api.post(MATVIEWS + "/public.leaderboard/refresh?ifChanged=false");

        assertThat(untracked.json().get("skipped").asBoolean()).isFalse();
        assertThat(forced.json().get("skipped").asBoolean()).isFalse();
        assertThat(api.get(MATVIEWS + "/public.leaderboard/history").json().get("count").asInt()).isEqualTo(3);
    }

    @Test
    void ifChangedMustBeABooleanAndCombinesWithNeitherCascadeNorMode() {
        registerTracked();

        Reply notBoolean = api.post(MATVIEWS + "/public.leaderboard/refresh?ifChanged=yes");
        Reply withCascade = api.post(MATVIEWS + "/public.leaderboard/refresh?ifChanged=true&cascade=upstream");
        Reply withMode = api.post(MATVIEWS + "/public.leaderboard/refresh?ifChanged=true&mode=standard");

        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(notBoolean.error()).isEqualTo("invalid_argument");
        assertThat(notBoolean.message()).isEqualTo("ifChanged must be 'true' or 'false'");
        assertThat(withCascade.status()).isEqualTo(400);
        assertThat(withCascade.message()).isEqualTo("ifChanged cannot be combined with cascade");
        assertThat(withMode.status()).isEqualTo(400);
        assertThat(withMode.message()).isEqualTo("ifChanged cannot be combined with mode");
        assertThat(api.get(MATVIEWS + "/public.leaderboard/history").json().get("count").asInt()).isZero();
    }

    @Test
    void sourcesListsTheTrackedBaseTablesAndIsEmptyForAnUntrackedView() {
        registerTracked();
        api.post(MATVIEWS, "{\"viewName\":\"leaderboard2\"}");

        Reply tracked = api.get(MATVIEWS + "/public.leaderboard/sources");
        Reply untracked = api.get(MATVIEWS + "/public.leaderboard2/sources");

        assertThat(tracked.status()).isEqualTo(200);
        assertThat(Fields.of(tracked.json())).containsExactly("items", "count");
        assertThat(tracked.json().get("count").asInt()).isEqualTo(2);
        List<String> tables = new ArrayList<>();
        for (JsonNode item : tracked.json().get("items")) {
            assertThat(Fields.of(item)).containsExactly("schemaName", "tableName", "partition", "triggerInstalled",
                    "capture");
            assertThat(item.get("partition").asBoolean()).isFalse();
            assertThat(item.get("triggerInstalled").asBoolean()).isTrue();
            assertThat(item.get("capture").asText()).isEqualTo("trigger");
            tables.add(item.get("schemaName").asText() + "." + item.get("tableName").asText());
        }
        assertThat(tables).containsExactlyInAnyOrder("public.users", "public.workouts");
        assertThat(untracked.status()).isEqualTo(200);
        assertThat(untracked.json().toString()).isEqualTo("{\"items\":[],\"count\":0}");
        assertThat(api.get(MATVIEWS + "/public.nothing/sources").status()).isEqualTo(404);
    }

    @Test
    void updateTurnsTrackingOnAndOffAndLeavesItAsItIsWhenTheBodyDoesNotNameIt() {
        api.post(MATVIEWS, "{\"viewName\":\"leaderboard\"}");

        JsonNode on = api.patch(MATVIEWS + "/public.leaderboard", "{\"changeTracking\":true}").json();
        JsonNode modeOnly = api.patch(MATVIEWS + "/public.leaderboard", "{\"refreshMode\":\"concurrent\"}").json();

        assertThat(on.get("changeTracking").asBoolean()).isTrue();
        assertThat(on.at("/freshness/state").asText()).isEqualTo("behind");
        assertThat(modeOnly.get("changeTracking").asBoolean()).isTrue();
        assertThat(modeOnly.get("refreshMode").asText()).isEqualTo("concurrent");

        Reply off = api.put(MATVIEWS + "/public.leaderboard", "{\"changeTracking\":false}");

        assertThat(off.status()).isEqualTo(200);
        assertThat(off.json().get("changeTracking").asBoolean()).isFalse();
        assertThat(off.json().at("/freshness/state").asText()).isEqualTo("unknown");
        assertThat(api.get(MATVIEWS + "/public.leaderboard/sources").json().get("count").asInt()).isZero();
    }

    @Test
    void aChangeTrackingThatIsNotABooleanIsRefusedAndChangesNothing() {
        Reply register = api.post(MATVIEWS, "{\"viewName\":\"leaderboard\",\"changeTracking\":\"yes\"}");

        assertThat(register.status()).isEqualTo(400);
        assertThat(register.error()).isEqualTo("invalid_argument");
        assertThat(register.message()).isEqualTo("changeTracking must be true or false");
        assertThat(api.get(MATVIEWS).json().get("count").asInt()).isZero();

        api.post(MATVIEWS, "{\"viewName\":\"leaderboard\"}");
        Reply update = api.patch(MATVIEWS + "/public.leaderboard", "{\"changeTracking\":1}");

        assertThat(update.status()).isEqualTo(400);
        assertThat(update.message()).isEqualTo("changeTracking must be true or false");
        assertThat(api.get(MATVIEWS + "/public.leaderboard").json().get("changeTracking").asBoolean()).isFalse();
    }

    @Test
    void aRoleWithoutTheTriggerPrivilegeGetsTheTrackingErrorAndNoRegistration() {
        String role = "ayb_no_trigger_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        PG.execute("CREATE ROLE " + role + " NOLOGIN",
                "GRANT USAGE ON SCHEMA ayb TO " + role,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ayb TO " + role,
                "GRANT USAGE ON SCHEMA public TO " + role,
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        try (HikariDataSource asRole = Pools.pool(PG, 2, "SET ROLE " + role);
             AdminApi limited = AdminApi.over(AybMatviews.builder().dataSource(asRole).build())) {
            Reply reply = limited.post(MATVIEWS, "{\"viewName\":\"leaderboard\",\"changeTracking\":true}");

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.error()).isEqualTo("tracking_permission_denied");
            assertThat(reply.message()).contains("needs the TRIGGER privilege");
            assertThat(api.get(MATVIEWS).json().get("count").asInt()).as("no registration left behind").isZero();
        } finally {
            PG.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }
}
