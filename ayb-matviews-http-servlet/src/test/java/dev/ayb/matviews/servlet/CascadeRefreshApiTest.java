package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ?cascade=} on the refresh route and {@code GET .../dependencies}, over a stack of views. */
class CascadeRefreshApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private AdminApi api;

    @BeforeEach
    void start() {
        PG.execute("DROP SCHEMA IF EXISTS ayb CASCADE", "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public");
        PG.execute("CREATE TABLE events (id int PRIMARY KEY, grp int NOT NULL, amount int NOT NULL)",
                "INSERT INTO events SELECT g, g % 3, 10 FROM generate_series(1, 30) g",
                "CREATE MATERIALIZED VIEW base AS SELECT grp, sum(amount) AS total FROM events GROUP BY grp",
                "CREATE VIEW base_plain AS SELECT grp, total FROM base",
                "CREATE MATERIALIZED VIEW top AS SELECT grp, total * 2 AS doubled FROM base_plain",
                "CREATE TABLE noise (id int)",
                "CREATE MATERIALIZED VIEW unrelated AS SELECT count(*) AS n FROM noise");
        api = AdminApi.start(PG);
        api.matviews().registry().register(QualifiedName.parse("public.top"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void cascadeUpstreamMakesTheTopCurrentAfterAChangeAtTheBaseAndNothingElseIsRefreshed() {
        PG.execute("UPDATE events SET amount = 100", "INSERT INTO noise VALUES (1)");

        Reply reply = api.post("/api/admin/matviews/public.top/refresh?cascade=upstream");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode json = reply.json();
        assertThat(json.get("registration").get("lastRefreshStatus").asText()).isEqualTo("success");
        assertThat(json.get("durationMs").isIntegralNumber()).isTrue();
        assertThat(json.get("views").findValuesAsText("viewName")).containsExactly("base", "top");
        assertThat(json.get("views").findValuesAsText("status")).containsExactly("refreshed", "refreshed");
        assertThat(PG.queryLong("SELECT doubled FROM top WHERE grp = 1")).isEqualTo(2000);
        assertThat(PG.queryLong("SELECT n FROM unrelated")).isZero();
    }

    @Test
    void aFailedCascadeAnswersWithTheFailureAndEveryViewsOutcome() {
        PG.execute("DROP MATERIALIZED VIEW top", "DROP VIEW base_plain", "DROP MATERIALIZED VIEW base",
                "CREATE MATERIALIZED VIEW base AS SELECT grp, 1 / (grp - 1) AS total FROM events WITH NO DATA",
                "CREATE MATERIALIZED VIEW top AS SELECT grp, total FROM base WITH NO DATA");
        api.matviews().registry().unregister("public.top");
        api.matviews().registry().register(QualifiedName.parse("public.top"));

        Reply reply = api.post("/api/admin/matviews/public.top/refresh?cascade=upstream");

        assertThat(reply.status()).isEqualTo(500);
        JsonNode json = reply.json();
        assertThat(json.get("error").asText()).isEqualTo("refresh_failed");
        assertThat(json.get("message").asText()).contains("division by zero");
        assertThat(json.get("views").findValuesAsText("status")).containsExactly("failed", "skipped");
    }

    @Test
    void aCascadeOfADroppedViewAnswers404WithTheViewsOutcome() {
        PG.execute("DROP MATERIALIZED VIEW top");

        Reply reply = api.post("/api/admin/matviews/public.top/refresh?cascade=upstream");

        assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        JsonNode json = reply.json();
        assertThat(json.get("error").asText()).isEqualTo("view_no_longer_exists");
        assertThat(json.get("message").asText()).isEqualTo("materialized view no longer exists in database");
        assertThat(json.get("views").findValuesAsText("status")).containsExactly("failed");
        assertThat(json.get("registration").get("lastRefreshStatus").asText()).isEqualTo("error");
    }

    @Test
    void anUnknownCascadeIsABadRequest() {
        Reply reply = api.post("/api/admin/matviews/public.top/refresh?cascade=sideways");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).isEqualTo("cascade must be one of none, upstream, downstream, both");
    }

    @Test
    void dependenciesListUpstreamAndDownstreamViews() {
        JsonNode top = api.get("/api/admin/matviews/public.top/dependencies").json();
        assertThat(top.get("upstream").toString()).isEqualTo("[\"public.base\"]");
        assertThat(top.get("downstream").toString()).isEqualTo("[]");

        JsonNode base = api.get("/api/admin/matviews/public.base/dependencies").json();
        assertThat(base.get("downstream").toString()).isEqualTo("[\"public.top\"]");
        assertThat(api.get("/api/admin/matviews/public.users_x/dependencies").status()).isEqualTo(404);
    }
}
