package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.BlockedRefresh;
import dev.ayb.matviews.testkit.FailedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /api/admin/matviews/{ref}/refresh} and {@code GET .../history}. */
class MatviewRefreshApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String MATVIEWS = "/api/admin/matviews";

    private AdminApi api;

    @BeforeEach
    void start() {
        SampleSchema.create(PG);
        api = AdminApi.start(PG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Registration registered(String view, RefreshMode mode) {
        return api.matviews().registry().register(QualifiedName.parse(view), mode);
    }

    private static String refreshPath(Object ref) {
        return MATVIEWS + "/" + ref + "/refresh";
    }

    @Test
    void refreshAnswers200WithTheRegistrationAsItIsAfterTheRefresh() {
        Registration registration = registered("leaderboard", RefreshMode.STANDARD);
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        Reply reply = api.post(refreshPath(registration.id()));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(Fields.of(json)).containsExactly("registration", "durationMs");
        JsonNode after = json.get("registration");
        assertThat(Fields.of(after)).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(after.get("lastRefreshStatus").asText()).isEqualTo("success");
        assertThat(after.get("lastRefreshError").isNull()).isTrue();
        assertThat(after.get("lastRefreshDurationMs").asLong()).isEqualTo(json.get("durationMs").asLong()).isNotNegative();
        assertThat(Instant.parse(after.get("lastRefreshAt").asText())).isAfterOrEqualTo(registration.createdAt());
        assertThat(Instant.parse(after.get("lastSuccessAt").asText()))
                .isEqualTo(api.matviews().registry().history(ViewRef.of(registration.id()), 1).get(0).startedAt());
        assertThat(api.get(MATVIEWS + "/" + registration.id()).json()).isEqualTo(after);
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
    }

    @Test
    void refreshAcceptsSchemaDotView() {
        registered("leaderboard", RefreshMode.CONCURRENT);

        Reply reply = api.post(refreshPath("public.leaderboard"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().at("/registration/refreshMode").asText()).isEqualTo("concurrent");
    }

    @Test
    void refreshIsRefusedWith409WhileAnotherRefreshHoldsTheLock() throws Exception {
        Registration registration = registered("leaderboard", RefreshMode.STANDARD);
        String path = refreshPath(registration.id());

        try (BlockedRefresh<Reply> running = BlockedRefresh.startAsync(PG, "users",
                () -> api.sendAsync(api.request(path).POST(BodyPublishers.noBody()).build()))) {
            Reply refused = api.post(path);

            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.message()).isEqualTo("refresh already in progress");
            assertThat(refused.error()).isEqualTo("refresh_in_progress");
            // The refusal records nothing: the running refresh's outcome is not overwritten.
            assertThat(api.get(MATVIEWS + "/" + registration.id()).json().get("lastRefreshStatus").isNull()).isTrue();

            running.release();
            Reply finished = running.result();
            assertThat(finished.status()).isEqualTo(200);
            assertThat(finished.json().at("/registration/lastRefreshStatus").asText()).isEqualTo("success");
        }
    }

    @Test
    void aFailedRefreshLeavesTheDataAgeOfTheLastSuccess() {
        Registration registration = registered("leaderboard", RefreshMode.STANDARD);
        String asOf = api.post(refreshPath(registration.id())).json().at("/registration/lastSuccessAt").asText();

        FailedRefresh.run(PG, api.matviews().registry(), api.matviews().refreshes(), "public.leaderboard",
                "public.workouts");

        JsonNode json = api.get(MATVIEWS + "/" + registration.id()).json();
        assertThat(json.get("lastRefreshStatus").asText()).isEqualTo("error");
        assertThat(json.get("lastSuccessAt").asText()).isEqualTo(asOf).endsWith("Z");
    }

    @Test
    void concurrentRefreshWithoutAUniqueIndexAnswers409() {
        SampleSchema.createViewWithoutIndex(PG, "unindexed");
        Registration registration = registered("unindexed", RefreshMode.CONCURRENT);

        Reply reply = api.post(refreshPath(registration.id()));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.message()).isEqualTo("concurrent refresh requires a unique index on the materialized view");
    }

    @Test
    void concurrentRefreshOfAnUnpopulatedViewAnswers409() {
        SampleSchema.createUnpopulatedView(PG, "restored");
        Registration registration = registered("restored", RefreshMode.CONCURRENT);

        Reply reply = api.post(refreshPath(registration.id()));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.message()).isEqualTo("concurrent refresh requires a populated materialized view");
    }

    @Test
    void anUnpopulatedViewIsRefusedWithAHintAndModeStandardPopulatesItOnce() {
        SampleSchema.createUnpopulatedView(PG, "restored");
        registered("restored", RefreshMode.CONCURRENT);

        Reply refused = api.post(refreshPath("public.restored"));
        Reply populated = api.post(refreshPath("public.restored") + "?mode=standard");
        Reply concurrent = api.post(refreshPath("public.restored"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).isEqualTo("concurrent refresh requires a populated materialized view");
        assertThat(refused.json().get("viewName").asText()).isEqualTo("restored");
        assertThat(refused.json().get("hint").asText()).contains("mode=standard");
        assertThat(populated.status()).as(populated.body()).isEqualTo(200);
        assertThat(populated.json().at("/registration/refreshMode").asText()).isEqualTo("concurrent");
        assertThat(populated.json().at("/registration/lastRefreshStatus").asText()).isEqualTo("success");
        assertThat(concurrent.status()).as(concurrent.body()).isEqualTo(200);
    }

    @Test
    void aSwapRefreshReplacesTheViewAndKeepsTheRegistration() {
        Registration registration = registered("leaderboard", RefreshMode.STANDARD);
        long oid = PG.queryLong("SELECT 'public.leaderboard'::regclass::oid");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        Reply once = api.post(refreshPath("public.leaderboard") + "?mode=swap");
        Reply registeredSwap = api.patch(MATVIEWS + "/" + registration.id(), "{\"refreshMode\": \"swap\"}");
        Reply again = api.post(refreshPath(registration.id()));

        assertThat(once.status()).as(once.body()).isEqualTo(200);
        assertThat(once.json().at("/registration/refreshMode").asText()).isEqualTo("standard");
        assertThat(registeredSwap.status()).as(registeredSwap.body()).isEqualTo(200);
        assertThat(registeredSwap.json().get("refreshMode").asText()).isEqualTo("swap");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().at("/registration/id").asText()).isEqualTo(registration.id().toString());
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
        assertThat(PG.queryLong("SELECT 'public.leaderboard'::regclass::oid")).isNotEqualTo(oid);
    }

    @Test
    void aOneOffModeMustBeStandardOrConcurrentAndDoesNotCombineWithACascade() {
        registered("leaderboard", RefreshMode.STANDARD);

        Reply unknown = api.post(refreshPath("public.leaderboard") + "?mode=fast");
        Reply withCascade = api.post(refreshPath("public.leaderboard") + "?mode=standard&cascade=upstream");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.message()).isEqualTo("mode must be 'standard', 'concurrent' or 'swap'");
        assertThat(unknown.error()).isEqualTo("invalid_refresh_mode");
        assertThat(withCascade.status()).isEqualTo(400);
        assertThat(withCascade.message()).isEqualTo("mode cannot be combined with cascade");
    }

    @Test
    void refreshOfAnUnknownRegistrationAnswers404() {
        Reply byId = api.post(refreshPath(UUID.randomUUID()));
        Reply byName = api.post(refreshPath("public.leaderboard"));

        assertThat(byId.status()).isEqualTo(404);
        assertThat(byId.message()).isEqualTo("matview registration not found");
        assertThat(byName.status()).isEqualTo(404);
        assertThat(byName.message()).isEqualTo("matview registration not found");
    }

    @Test
    void errorBodiesNameTheViewOrTheRefAsGivenBesideTheOriginalFields() {
        UUID unknown = UUID.randomUUID();
        SampleSchema.createViewWithoutIndex(PG, "unindexed");
        Registration registration = registered("unindexed", RefreshMode.CONCURRENT);

        JsonNode byName = api.post(refreshPath("public.leaderboard")).json();
        JsonNode byId = api.post(refreshPath(unknown)).json();
        JsonNode unparsable = api.post(refreshPath("not-a-uuid")).json();
        JsonNode refused = api.post(refreshPath(registration.id())).json();

        assertThat(byName.get("message").asText()).isEqualTo("matview registration not found");
        assertThat(byName.get("schemaName").asText()).isEqualTo("public");
        assertThat(byName.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(byName.has("ref")).isFalse();
        assertThat(byId.get("message").asText()).isEqualTo("matview registration not found");
        assertThat(byId.get("ref").asText()).isEqualTo(unknown.toString());
        assertThat(byId.has("viewName")).isFalse();
        assertThat(unparsable.get("message").asText()).isEqualTo("invalid matview id format");
        assertThat(unparsable.get("ref").asText()).isEqualTo("not-a-uuid");
        assertThat(refused.get("code").asInt()).isEqualTo(409);
        assertThat(refused.get("error").asText()).isEqualTo("concurrent_requires_unique_index");
        assertThat(refused.get("viewName").asText()).isEqualTo("unindexed");
    }

    @Test
    void refreshOfAViewDroppedAfterRegistrationAnswers404() {
        Registration registration = registered("leaderboard", RefreshMode.STANDARD);
        PG.execute("DROP MATERIALIZED VIEW leaderboard");

        Reply reply = api.post(refreshPath(registration.id()));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.message()).isEqualTo("materialized view no longer exists in database");
        assertThat(reply.error()).isEqualTo("view_no_longer_exists");
    }

    @Test
    void refreshWithAnIdThatIsNotAUuidAnswers400() {
        Reply reply = api.post(refreshPath("not-a-uuid"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("invalid matview id format");
    }

    @Test
    void historyListsRecordedRunsNewestFirst() {
        SampleSchema.createViewWithoutIndex(PG, "unindexed");
        Registration registration = registered("unindexed", RefreshMode.STANDARD);
        String path = MATVIEWS + "/" + registration.id();
        assertThat(api.post(path + "/refresh").status()).isEqualTo(200);
        assertThat(api.patch(path, "{\"refreshMode\": \"concurrent\"}").status()).isEqualTo(200);
        assertThat(api.post(path + "/refresh").status()).isEqualTo(409);

        Reply reply = api.get(path + "/history");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("count").asInt()).isEqualTo(2);
        JsonNode newest = json.get("items").get(0);
        JsonNode oldest = json.get("items").get(1);
        assertThat(Fields.of(newest)).containsExactly("id", "registrationId", "schemaName", "viewName", "refreshMode",
                "trigger", "startedAt", "finishedAt", "durationMs", "status", "error", "sqlState");
        assertThat(newest.get("id").asLong()).isGreaterThan(oldest.get("id").asLong());
        assertThat(newest.get("status").asText()).isEqualTo("error");
        assertThat(newest.get("refreshMode").asText()).isEqualTo("concurrent");
        assertThat(newest.get("error").asText())
                .isEqualTo("concurrent refresh requires a unique index on the materialized view");
        assertThat(oldest.get("status").asText()).isEqualTo("success");
        assertThat(oldest.get("error").isNull()).isTrue();
        assertThat(oldest.get("trigger").asText()).isEqualTo("http");
        assertThat(oldest.get("registrationId").asText()).isEqualTo(registration.id().toString());
        assertThat(Instant.parse(oldest.get("finishedAt").asText()))
                .isAfterOrEqualTo(Instant.parse(oldest.get("startedAt").asText()));
    }

    @Test
    void historyReturnsAtMostLimitRuns() {
        registered("leaderboard", RefreshMode.STANDARD);
        for (int i = 0; i < 3; i++) {
            assertThat(api.post(refreshPath("public.leaderboard")).status()).isEqualTo(200);
        }

        Reply limited = api.get(MATVIEWS + "/public.leaderboard/history?limit=2");
        Reply all = api.get(MATVIEWS + "/public.leaderboard/history");

        assertThat(limited.json().get("count").asInt()).isEqualTo(2);
        assertThat(all.json().get("count").asInt()).isEqualTo(3);
        assertThat(limited.json().get("items").get(0)).isEqualTo(all.json().get("items").get(0));
    }

    @Test
    void historyRefusesALimitThatIsNotBetween1And1000() {
        registered("leaderboard", RefreshMode.STANDARD);

        for (String limit : new String[] {"0", "1001", "-1"}) {
            Reply reply = api.get(MATVIEWS + "/public.leaderboard/history?limit=" + limit);

            assertThat(reply.status()).as(limit).isEqualTo(400);
            assertThat(reply.message()).as(limit).isEqualTo("limit must be between 1 and 1000");
        }
        for (String limit : new String[] {"abc", "", "2.5"}) {
            Reply reply = api.get(MATVIEWS + "/public.leaderboard/history?limit=" + limit);

            assertThat(reply.status()).as(limit).isEqualTo(400);
            assertThat(reply.message()).as(limit).isEqualTo("limit must be an integer between 1 and 1000");
        }
    }

    @Test
    void historyOfAnUnknownRegistrationAnswers404() {
        Reply reply = api.get(MATVIEWS + "/" + UUID.randomUUID() + "/history");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.message()).isEqualTo("matview registration not found");
    }
}
