package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listing, reading, registering, updating and unregistering through {@code /api/admin/matviews}. */
class MatviewRegistrationApiTest {
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

    private Registration registered(String view) {
        return api.matviews().registry().register(QualifiedName.parse(view));
    }

    @Test
    void listIsEmptyWhenNothingIsRegistered() {
        Reply reply = api.get(MATVIEWS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("items").size()).isZero();
        assertThat(reply.json().get("count").asInt()).isZero();
    }

    @Test
    void listReturnsEveryRegistrationOrderedBySchemaThenView() {
        PG.execute("CREATE SCHEMA other");
        PG.execute("CREATE MATERIALIZED VIEW other.board AS SELECT 1 AS id");
        registered("public.leaderboard");
        registered("other.board");

        Reply reply = api.get(MATVIEWS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("count").asInt()).isEqualTo(2);
        assertThat(reply.json().get("items")).extracting(item -> item.get("schemaName").asText() + "."
                + item.get("viewName").asText()).containsExactly("other.board", "public.leaderboard");
    }

    @Test
    void aNeverRefreshedRegistrationHasTheSeedFieldsInOrderWithNullRefreshFields() {
        Registration registration = registered("leaderboard");

        JsonNode json = api.get(MATVIEWS + "/" + registration.id()).json();

        assertThat(Fields.of(json)).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(json.get("id").asText()).isEqualTo(registration.id().toString());
        assertThat(json.get("refreshMode").asText()).isEqualTo("standard");
        for (String field : new String[] {"lastRefreshAt", "lastRefreshDurationMs", "lastRefreshStatus",
                "lastRefreshError", "lastSuccessAt"}) {
            assertThat(json.get(field).isNull()).as(field).isTrue();
        }
        assertThat(json.get("changeTracking").isBoolean()).isTrue();
        assertThat(json.get("changeTracking").asBoolean()).isFalse();
        assertThat(json.get("createdAt").asText()).endsWith("Z");
        assertThat(Instant.parse(json.get("createdAt").asText())).isEqualTo(registration.createdAt());
    }

    @Test
    void getFindsARegistrationById() {
        Registration registration = registered("leaderboard");

        Reply reply = api.get(MATVIEWS + "/" + registration.id());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("viewName").asText()).isEqualTo("leaderboard");
    }

    @Test
    void getFindsARegistrationBySchemaDotView() {
        Registration registration = registered("leaderboard");

        Reply reply = api.get(MATVIEWS + "/public.leaderboard");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("id").asText()).isEqualTo(registration.id().toString());
    }

    @Test
    void getOfAnUnknownIdAnswers404() {
        Reply reply = api.get(MATVIEWS + "/" + UUID.randomUUID());

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.message()).isEqualTo("matview registration not found");
        assertThat(reply.error()).isEqualTo("registration_not_found");
        assertThat(reply.json().get("code").asInt()).isEqualTo(404);
    }

    @Test
    void getOfAnUnregisteredViewNameAnswers404() {
        Reply reply = api.get(MATVIEWS + "/public.leaderboard");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.message()).isEqualTo("matview registration not found");
    }

    @Test
    void getWithAnIdThatIsNotAUuidAnswers400() {
        Reply reply = api.get(MATVIEWS + "/not-a-uuid");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("invalid matview id format");
        assertThat(reply.json().get("code").asInt()).isEqualTo(400);
    }

    @Test
    void registerAnswers201WithTheRegistrationAndWhereToFindIt() {
        Reply reply = api.post(MATVIEWS, "{\"viewName\": \"leaderboard\", \"schema\": \"public\", \"refreshMode\": \"concurrent\"}");

        assertThat(reply.status()).isEqualTo(201);
        JsonNode json = reply.json();
        assertThat(Fields.of(json)).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(json.get("refreshMode").asText()).isEqualTo("concurrent");
        String id = json.get("id").asText();
        assertThat(reply.header("Location")).isEqualTo(MATVIEWS + "/" + id);
        assertThat(api.get(reply.header("Location")).json().get("id").asText()).isEqualTo(id);
        assertThat(api.matviews().registry().get("public.leaderboard").refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
    }

    @Test
    void registerWithoutAViewNameAnswers400() {
        for (String body : new String[] {"{\"schema\": \"public\"}", "{\"viewName\": \"  \"}", "{\"viewName\": null}"}) {
            Reply reply = api.post(MATVIEWS, body);

            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.message()).as(body).isEqualTo("viewName is required");
            assertThat(reply.error()).isEqualTo("view_name_required");
        }
    }

    @Test
    void registerDefaultsToThePublicSchemaAndStandardMode() {
        Reply reply = api.post(MATVIEWS, "{\"viewName\": \"leaderboard\"}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("schemaName").asText()).isEqualTo("public");
        assertThat(reply.json().get("refreshMode").asText()).isEqualTo("standard");
    }

    @Test
    void registerAcceptsSchemaNameAsWellAsSchema() {
        PG.execute("CREATE SCHEMA other", "CREATE MATERIALIZED VIEW other.board AS SELECT 1 AS id");

        Reply reply = api.post(MATVIEWS, "{\"viewName\": \"board\", \"schemaName\": \"other\"}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("schemaName").asText()).isEqualTo("other");
    }

    @Test
    void registerWithAnUnknownRefreshModeAnswers400() {
        Reply reply = api.post(MATVIEWS, "{\"viewName\": \"leaderboard\", \"refreshMode\": \"sometimes\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("refreshMode must be 'standard', 'concurrent' or 'swap'");
    }

    @Test
    void registeringTheSameViewTwiceAnswers409() {
        assertThat(api.post(MATVIEWS, "{\"viewName\": \"leaderboard\"}").status()).isEqualTo(201);

        Reply reply = api.post(MATVIEWS, "{\"viewName\": \"leaderboard\", \"schema\": \"public\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.message()).isEqualTo("materialized view already registered");
        assertThat(api.get(MATVIEWS).json().get("count").asInt()).isEqualTo(1);
    }

    @Test
    void registeringATableAnswers404() {
        Reply reply = api.post(MATVIEWS, "{\"viewName\": \"users\"}");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.message()).isEqualTo("materialized view not found in database");
    }

    @Test
    void registeringAnUnsafeIdentifierAnswers400QuotingIt() {
        Reply badView = api.post(MATVIEWS, "{\"viewName\": \"bad-name\"}");
        Reply badSchema = api.post(MATVIEWS, "{\"viewName\": \"leaderboard\", \"schema\": \"bad name\"}");

        assertThat(badView.status()).isEqualTo(400);
        assertThat(badView.message()).isEqualTo("invalid identifier: \"bad-name\"");
        assertThat(badSchema.status()).isEqualTo(400);
        assertThat(badSchema.message()).isEqualTo("invalid identifier: \"bad name\"");
    }

    @Test
    void aFieldOfTheWrongJsonTypeAnswers400NamingIt() {
        Reply reply = api.post(MATVIEWS, "{\"viewName\": 5}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("viewName must be a string");
    }

    @Test
    void differingSchemaAndSchemaNameAnswer400() {
        Reply reply = api.post(MATVIEWS, "{\"viewName\": \"leaderboard\", \"schema\": \"public\", \"schemaName\": \"other\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).contains("schema and schemaName");
    }

    @Test
    void registerIgnoresUnknownFieldsAndAcceptsPerViewTimeouts() {
        Reply reply = api.post(MATVIEWS, "{\"viewName\": \"leaderboard\", \"lockTimeoutMs\": 500, \"colour\": \"red\"}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("lockTimeoutMs").asLong()).isEqualTo(500);
        assertThat(reply.json().has("statementTimeoutMs")).isFalse();
    }

    @Test
    void registerWithAnEmptyBodyAnswersInvalidJson() {
        Reply reply = api.post(MATVIEWS, "");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.message()).isEqualTo("invalid JSON body");
    }

    @Test
    void putChangesTheRefreshMode() {
        Registration registration = registered("leaderboard");

        Reply reply = api.put(MATVIEWS + "/" + registration.id(), "{\"refreshMode\": \"concurrent\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("refreshMode").asText()).isEqualTo("concurrent");
        assertThat(Fields.of(reply.json())).containsExactlyElementsOf(Fields.REGISTRATION);
        assertThat(api.matviews().registry().get("leaderboard").refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
    }

    @Test
    void patchChangesTheRefreshModeOfAViewNamedBySchemaDotView() {
        registered("leaderboard");

        Reply reply = api.patch(MATVIEWS + "/public.leaderboard", "{\"refreshMode\": \"concurrent\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(api.matviews().registry().get("leaderboard").refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
    }

    @Test
    void updateOfAnUnknownRegistrationAnswers404() {
        Reply put = api.put(MATVIEWS + "/" + UUID.randomUUID(), "{\"refreshMode\": \"concurrent\"}");
        Reply patch = api.patch(MATVIEWS + "/public.leaderboard", "{\"refreshMode\": \"concurrent\"}");

        assertThat(put.status()).isEqualTo(404);
        assertThat(put.message()).isEqualTo("matview registration not found");
        assertThat(patch.status()).isEqualTo(404);
    }

    @Test
    void updateWithABadModeAnswers400AndChangesNothing() {
        Registration registration = registered("leaderboard");

        Reply bad = api.put(MATVIEWS + "/" + registration.id(), "{\"refreshMode\": \"fast\"}");
        Reply missing = api.patch(MATVIEWS + "/" + registration.id(), "{}");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.message()).isEqualTo("refreshMode must be 'standard', 'concurrent' or 'swap'");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).isEqualTo("refreshMode must be 'standard', 'concurrent' or 'swap'");
        assertThat(api.matviews().registry().get("leaderboard")).isEqualTo(registration);
    }

    @Test
    void patchSetsAndClearsTimeoutsAndLeavesTheModeAlone() {
        registered("leaderboard");
        String path = MATVIEWS + "/public.leaderboard";

        Reply set = api.patch(path, "{\"lockTimeoutMs\": 1000, \"statementTimeoutMs\": 60000}");
        Reply cleared = api.patch(path, "{\"lockTimeoutMs\": null}");

        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("lockTimeoutMs").asLong()).isEqualTo(1000);
        assertThat(set.json().get("statementTimeoutMs").asLong()).isEqualTo(60000);
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().has("lockTimeoutMs")).isFalse();
        assertThat(cleared.json().get("statementTimeoutMs").asLong()).isEqualTo(60000);
        assertThat(cleared.json().get("refreshMode").asText()).isEqualTo("standard");
    }

    @Test
    void aTimeoutThatIsNotAPositiveIntegerAnswers400() {
        registered("leaderboard");

        for (String value : new String[] {"0", "-5", "1.5", "\"100\""}) {
            Reply reply = api.patch(MATVIEWS + "/public.leaderboard", "{\"lockTimeoutMs\": " + value + "}");

            assertThat(reply.status()).as(value).isEqualTo(400);
            assertThat(reply.message()).as(value).isEqualTo("lockTimeoutMs must be a positive integer (milliseconds) or null");
        }
    }

    @Test
    void deleteAnswers204AndLeavesTheViewInTheDatabase() {
        Registration registration = registered("leaderboard");

        Reply reply = api.delete(MATVIEWS + "/" + registration.id());

        assertThat(reply.status()).isEqualTo(204);
        assertThat(reply.body()).isEmpty();
        assertThat(api.get(MATVIEWS + "/" + registration.id()).status()).isEqualTo(404);
        assertThat(PG.queryLong("SELECT count(*) FROM pg_matviews WHERE matviewname = 'leaderboard'")).isEqualTo(1);
        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).isEqualTo(2);
    }

    @Test
    void deleteBySchemaDotViewWorksAndASecondDeleteAnswers404() {
        registered("leaderboard");

        Reply first = api.delete(MATVIEWS + "/public.leaderboard");
        Reply second = api.delete(MATVIEWS + "/public.leaderboard");

        assertThat(first.status()).isEqualTo(204);
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.message()).isEqualTo("matview registration not found");
    }

    @Test
    void discoveredListsEveryMaterializedViewWithWhatBlocksAConcurrentRefresh() {
        Registration leaderboard = registered("leaderboard");
        SampleSchema.createUnpopulatedView(PG, "restored");
        SampleSchema.createViewWithoutIndex(PG, "unindexed");

        Reply reply = api.get(MATVIEWS + "/discovered");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("count").asInt()).isEqualTo(3);
        JsonNode first = json.get("items").get(0);
        assertThat(Fields.of(first)).containsExactly("schemaName", "viewName", "populated", "hasUniqueIndex",
                "registered", "registrationId", "concurrentRefreshBlocker", "swapRefreshBlocker", "dependants",
                "refreshModes");
        assertThat(first.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(first.get("populated").asBoolean()).isTrue();
        assertThat(first.get("hasUniqueIndex").asBoolean()).isTrue();
        assertThat(first.get("registered").asBoolean()).isTrue();
        assertThat(first.get("registrationId").asText()).isEqualTo(leaderboard.id().toString());
        assertThat(first.get("concurrentRefreshBlocker").isNull()).isTrue();
        assertThat(first.get("swapRefreshBlocker").isNull()).isTrue();
        assertThat(first.get("refreshModes").toString()).isEqualTo("[\"standard\",\"concurrent\",\"swap\"]");

        JsonNode restored = json.get("items").get(1);
        assertThat(restored.get("viewName").asText()).isEqualTo("restored");
        assertThat(restored.get("populated").asBoolean()).isFalse();
        assertThat(restored.get("hasUniqueIndex").asBoolean()).isTrue();
        assertThat(restored.get("registered").asBoolean()).isFalse();
        assertThat(restored.get("registrationId").isNull()).isTrue();
        assertThat(restored.get("concurrentRefreshBlocker").asText())
                .isEqualTo("concurrent refresh requires a populated materialized view");

        JsonNode unindexed = json.get("items").get(2);
        assertThat(unindexed.get("hasUniqueIndex").asBoolean()).isFalse();
        assertThat(unindexed.get("concurrentRefreshBlocker").asText())
                .isEqualTo("concurrent refresh requires a unique index on the materialized view");
        assertThat(unindexed.get("refreshModes").toString()).isEqualTo("[\"standard\",\"swap\"]");
        assertThat(restored.get("refreshModes").toString()).isEqualTo("[\"standard\",\"swap\"]");
    }

    @Test
    void discoverySaysWhichViewsBlockASwapAndTheSwapIsRefusedNamingThem() {
        registered("leaderboard");
        PG.execute("CREATE VIEW top_users AS SELECT name FROM leaderboard");

        JsonNode leaderboard = api.get(MATVIEWS + "/discovered").json().get("items").get(0);
        Reply refused = api.post(MATVIEWS + "/public.leaderboard/refresh?mode=swap");

        assertThat(leaderboard.get("dependants").toString()).isEqualTo("[\"public.top_users\"]");
        assertThat(leaderboard.get("swapRefreshBlocker").asText()).isEqualTo("swap refresh is refused while other"
                + " views depend on the materialized view: public.top_users");
        assertThat(leaderboard.get("refreshModes").toString()).isEqualTo("[\"standard\",\"concurrent\"]");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("swap_blocked_by_dependants");
        assertThat(refused.message()).isEqualTo(leaderboard.get("swapRefreshBlocker").asText());
    }
}
