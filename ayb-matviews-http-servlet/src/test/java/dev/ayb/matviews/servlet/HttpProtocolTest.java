package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routing, methods, body limits, media types and the headers every answer carries. */
class HttpProtocolTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String MATVIEWS = "/api/admin/matviews";
    private static final int ONE_MIB = 1024 * 1024;

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

    /** A register body padded with an ignored field to exactly {@code size} bytes. */
    private static byte[] registerBodyOfSize(int size) {
        String prefix = "{\"viewName\": \"leaderboard\", \"padding\": \"";
        String suffix = "\"}";
        char[] padding = new char[size - prefix.length() - suffix.length()];
        Arrays.fill(padding, 'x');
        return (prefix + new String(padding) + suffix).getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aWrongMethodOnAKnownPathAnswers405ListingTheAllowedOnes() {
        Reply onCollection = api.delete(MATVIEWS);
        Reply onRefresh = api.get(MATVIEWS + "/public.leaderboard/refresh");
        Reply onRegistration = api.post(MATVIEWS + "/public.leaderboard", "{}");

        assertThat(onCollection.status()).isEqualTo(405);
        assertThat(onCollection.header("Allow")).isEqualTo("GET, POST");
        assertThat(onCollection.message()).isEqualTo("method not allowed");
        assertThat(onCollection.error()).isEqualTo("method_not_allowed");
        assertThat(onRefresh.header("Allow")).isEqualTo("POST");
        assertThat(onRegistration.header("Allow")).isEqualTo("DELETE, GET, PATCH, PUT");
        assertThat(api.put(MATVIEWS + "/discovered", "{}").header("Allow")).isEqualTo("GET");
    }

    @Test
    void anUnknownRouteAnswers404() {
        for (String path : List.of("/api/admin/nothing", MATVIEWS + "/public.leaderboard/refresh/now", "/")) {
            Reply reply = api.get(path);

            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.message()).isEqualTo("not found");
            assertThat(reply.error()).isEqualTo("not_found");
        }
    }

    @Test
    void aBodyDeclaredLargerThanOneMebibyteAnswers413() {
        Reply reply = api.send(api.request(MATVIEWS).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(registerBodyOfSize(ONE_MIB + 1))).build());

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.error()).isEqualTo("payload_too_large");
        assertThat(api.get(MATVIEWS).json().get("count").asInt()).isZero();
    }

    @Test
    void aChunkedBodyLargerThanOneMebibyteAnswers413() {
        byte[] body = registerBodyOfSize(ONE_MIB + 1);
        // No declared length: the client sends the body chunked, so only reading can find it too large.
        HttpRequest request = api.request(MATVIEWS).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

        Reply reply = api.send(request);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(api.get(MATVIEWS).json().get("count").asInt()).isZero();
    }

    @Test
    void aBodyOfExactlyOneMebibyteIsAccepted() {
        Reply reply = api.send(api.request(MATVIEWS).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofByteArray(registerBodyOfSize(ONE_MIB))).build());

        assertThat(reply.status()).isEqualTo(201);
    }

    @Test
    void aBodyThatIsNotJsonByMediaTypeAnswers415() {
        Reply reply = api.send("POST", MATVIEWS, "text/plain", BodyPublishers.ofString("{\"viewName\": \"leaderboard\"}"));

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.error()).isEqualTo("unsupported_media_type");
        assertThat(api.get(MATVIEWS).json().get("count").asInt()).isZero();
    }

    @Test
    void jsonWithACharsetParameterIsAccepted() {
        Reply reply = api.send("POST", MATVIEWS, "application/json; charset=UTF-8",
                BodyPublishers.ofString("{\"viewName\": \"leaderboard\"}"));

        assertThat(reply.status()).isEqualTo(201);
    }

    @Test
    void aBodyThatIsNotAJsonObjectAnswers400InvalidJsonBody() {
        for (String body : List.of("{\"viewName\": ", "[\"leaderboard\"]", "\"leaderboard\"", "null",
                "{\"viewName\": \"leaderboard\"} {}", "{\"viewName\": \"a\", \"viewName\": \"b\"}", "viewName=leaderboard")) {
            Reply reply = api.post(MATVIEWS, body);

            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.message()).as(body).isEqualTo("invalid JSON body");
            assertThat(reply.error()).isEqualTo("invalid_json");
        }
    }

    @Test
    void everyAnswerCarriesCacheControlNoStoreAndJson() {
        Reply created = api.post(MATVIEWS, "{\"viewName\": \"leaderboard\"}");
        Reply listed = api.get(MATVIEWS);
        Reply deleted = api.delete(MATVIEWS + "/public.leaderboard");
        Reply notFound = api.get(MATVIEWS + "/public.leaderboard");
        Reply badRequest = api.post(MATVIEWS, "{");
        Reply notAllowed = api.delete(MATVIEWS);
        Reply unknown = api.get("/nowhere");

        for (Reply reply : List.of(created, listed, deleted, notFound, badRequest, notAllowed, unknown)) {
            assertThat(reply.header("Cache-Control")).as(reply.toString()).isEqualTo("no-store");
        }
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(listed.header("Content-Type")).startsWith("application/json");
        assertThat(notFound.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void anUnexpectedFailureAnswers500WithoutDetails() {
        AdminAuthenticator broken = request -> {
            throw new IllegalStateException("session store unreachable at 10.0.0.7");
        };
        try (AdminApi broke = AdminApi.start(PG, broken, "unused")) {
            Reply reply = broke.get(MATVIEWS);

            assertThat(reply.status()).isEqualTo(500);
            assertThat(reply.body()).isEqualTo("{\"code\":500,\"message\":\"internal server error\",\"error\":\"internal_error\"}");
            assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void aDatabaseFailureAnswers500WithPostgresqlsReasonButNoStackTrace() {
        PG.execute("DROP SCHEMA ayb CASCADE");

        Reply reply = api.get(MATVIEWS);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.error()).isEqualTo("database_error");
        assertThat(reply.message()).startsWith("database error while").contains("does not exist");
        assertThat(reply.body()).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
