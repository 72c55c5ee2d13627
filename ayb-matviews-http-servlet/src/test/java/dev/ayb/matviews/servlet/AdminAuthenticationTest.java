package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Who may call the admin API, and what a refused caller learns. */
class AdminAuthenticationTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String MATVIEWS = "/api/admin/matviews";

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    private static void assertUnauthorized(Reply reply) {
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.message()).isEqualTo("admin authentication required");
        assertThat(reply.error()).isEqualTo("unauthorized");
        assertThat(reply.json().get("code").asInt()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"ayb-matviews\"");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void theRightBearerTokenIsAccepted() {
        try (AdminApi api = AdminApi.start(PG)) {
            assertThat(api.get(MATVIEWS).status()).isEqualTo(200);
        }
    }

    @Test
    void aRequestWithoutAnAuthorizationHeaderIsRefusedWith401() {
        try (AdminApi api = AdminApi.start(PG)) {
            assertUnauthorized(api.send(api.unauthenticated(MATVIEWS).GET().build()));
        }
    }

    @Test
    void aWrongTokenIsRefusedAndNotEchoed() {
        try (AdminApi api = AdminApi.start(PG)) {
            String wrong = api.token() + "x";
            Reply reply = api.send(api.unauthenticated(MATVIEWS).header("Authorization", "Bearer " + wrong).GET().build());

            assertUnauthorized(reply);
            assertThat(reply.body()).doesNotContain(wrong).doesNotContain(api.token());
        }
    }

    @Test
    void theTokenUnderAnotherSchemeIsRefused() {
        try (AdminApi api = AdminApi.start(PG)) {
            for (String header : List.of("Basic " + api.token(), api.token(), "Bearer", "Bearer ")) {
                assertUnauthorized(api.send(api.unauthenticated(MATVIEWS).header("Authorization", header).GET().build()));
            }
        }
    }

    @Test
    void unauthenticatedCallersCannotProbeWhichAdminRoutesExist() {
        try (AdminApi api = AdminApi.start(PG)) {
            assertUnauthorized(api.send(api.unauthenticated("/api/admin/no-such-route").GET().build()));
            assertUnauthorized(api.send(api.unauthenticated(MATVIEWS).DELETE().build()));
            assertUnauthorized(api.send(api.unauthenticated(MATVIEWS + "/public.leaderboard/refresh")
                    .POST(BodyPublishers.noBody()).build()));
        }
    }

    @Test
    void pathsOutsideTheAdminApiAreNotFoundWithoutAskingForCredentials() {
        try (AdminApi api = AdminApi.start(PG)) {
            Reply reply = api.send(api.unauthenticated("/api/administration").GET().build());

            assertThat(reply.status()).isEqualTo(404);
            assertThat(reply.header("WWW-Authenticate")).isNull();
        }
    }

    @Test
    void aCustomAuthenticatorReplacesTheBearerTokenCheck() {
        AdminAuthenticator byRoleHeader = request -> "admin".equals(request.getHeader("X-Test-Role"));
        try (AdminApi api = AdminApi.start(PG, byRoleHeader, "not-used")) {
            Reply withRole = api.send(api.unauthenticated(MATVIEWS).header("X-Test-Role", "admin").GET().build());
            Reply withBearerOnly = api.get(MATVIEWS);

            assertThat(withRole.status()).isEqualTo(200);
            assertUnauthorized(withBearerOnly);
        }
    }

    @Test
    void anEmptyOrMalformedTokenIsRejectedWhenTheServletIsConfigured() {
        assertThatThrownBy(() -> AdminAuthenticator.bearerToken("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminAuthenticator.bearerToken(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminAuthenticator.bearerToken("secret\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void theTokenNeverReachesTheLogs() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // slf4j-simple looks System.err up on every write, so swapping it captures what the servlet logs.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String token;
        try (AdminApi api = AdminApi.start(PG)) {
            token = api.token();
            PG.execute("DROP SCHEMA ayb CASCADE");
            Reply failed = api.get(MATVIEWS);
            Reply refused = api.send(api.unauthenticated(MATVIEWS).header("Authorization", "Bearer " + token + "0")
                    .GET().build());

            assertThat(failed.status()).isEqualTo(500);
            assertThat(refused.status()).isEqualTo(401);
        } finally {
            System.setErr(original);
        }
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("GET /api/admin/matviews failed");
        assertThat(logged).doesNotContain(token);
    }
}
