package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The routes are relative to where the host mounts the servlet: under a context path or a prefix mapping. */
class MountingTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String REGISTER_BODY = "{\"viewName\": \"leaderboard\"}";

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    @Test
    void underAContextPathTheRoutesAndLocationIncludeIt() {
        try (AdminApi api = AdminApi.start(PG, "/app", "/*")) {
            Reply created = api.post("/app/api/admin/matviews", REGISTER_BODY);

            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("Location")).isEqualTo("/app/api/admin/matviews/" + created.json().get("id").asText());
            assertThat(api.get(created.header("Location")).status()).isEqualTo(200);
            assertThat(api.get("/app/api/admin/matviews/discovered").status()).isEqualTo(200);
        }
    }

    @Test
    void atAPrefixMappingTheRoutesFollowThePrefix() {
        try (AdminApi api = AdminApi.start(PG, "/", "/admin-api/*")) {
            Reply created = api.post("/admin-api/api/admin/matviews", REGISTER_BODY);

            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("Location"))
                    .isEqualTo("/admin-api/api/admin/matviews/" + created.json().get("id").asText());
            assertThat(api.post("/admin-api/api/admin/matviews/public.leaderboard/refresh").status()).isEqualTo(200);
            assertThat(api.send(api.unauthenticated("/admin-api/api/admin/matviews").GET().build()).status())
                    .isEqualTo(401);
        }
    }

    @Test
    void mappedAtTheLibrarysOwnRootsTheRoutesKeepTheirDocumentedPaths() {
        try (AdminApi api = AdminApi.start(PG, "/", "/api/admin/*")) {
            Reply created = api.post("/api/admin/matviews", REGISTER_BODY);

            assertThat(created.status()).isEqualTo(201);
            assertThat(created.header("Location")).isEqualTo("/api/admin/matviews/" + created.json().get("id").asText());
            assertThat(api.post("/api/admin/matviews/public.leaderboard/refresh").status()).isEqualTo(200);
        }
    }
}
