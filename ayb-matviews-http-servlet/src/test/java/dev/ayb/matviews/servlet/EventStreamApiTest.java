package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.EventDelivery;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.AdminClient;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.http.SseClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /api/admin/events} and {@code GET /api/collections/{name}/events} over real HTTP (Jetty) and a real
 * PostgreSQL: what a stream carries, from which instance, after a reconnect, to whom, how many at once, and that a
 * client that stops reading holds up no one else.
 */
class EventStreamApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private AybMatviews instance(boolean autoCommit, EventDelivery delivery) {
        return AybMatviews.builder().dataSource(PG.newDataSource(3, autoCommit)).eventDelivery(delivery)
                .eventPollInterval(Duration.ofMillis(200)).build();
    }

    /** A server over {@code matviews}; its admin token is the client's. */
    private AdminClient serve(AybMatviews matviews, UnaryOperator<AybAdminServlet.Builder> options) {
        String token = AdminClient.randomToken();
        AybAdminServlet servlet = options.apply(AybAdminServlet.builder(matviews,
                AdminAuthenticator.bearerToken(token))).build();
        JettyServer server = JettyServer.start(servlet);
        opened.add(server);
        return new AdminClient(server.root(), token);
    }

    private SseClient stream(AdminClient api, String path, boolean authenticated, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).GET();
        if (authenticated) {
            request.header("Authorization", "Bearer " + api.token());
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        SseClient sse = SseClient.open(http, request.build(), PATIENCE);
        opened.add(sse);
        return sse;
    }

    private static SseClient.Event next(SseClient sse, String name) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            SseClient.Event event = sse.next(Duration.ofMillis(100));
            if (event != null && event.event().equals(name)) {
                return event;
            }
        }
        throw new AssertionError("no " + name + " event within " + PATIENCE);
    }

    private static JsonNode data(SseClient.Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (IOException e) {
            throw new AssertionError(event.data(), e);
        }
    }

    private static long latestRunId() {
        return PG.queryLong("SELECT max(id) FROM ayb.matview_refresh_runs");
    }

    @ParameterizedTest(name = "{0}, autoCommit={1}")
    @CsvSource({"LISTEN, true", "LISTEN, false", "POLL, true", "POLL, false"})
    void aRefreshOnInstanceBReachesAStreamOnInstanceA(EventDelivery delivery, boolean autoCommit) {
        AdminClient a = serve(instance(autoCommit, delivery),
                options -> options.collectionAccess(CollectionAccess.publicViews("leaderboard")));
        AybMatviews b = instance(autoCommit, delivery);
        b.registry().register(QualifiedName.parse("public.leaderboard"));
        SseClient admin = stream(a, "/api/admin/events", true);
        SseClient reader = stream(a, "/api/collections/leaderboard/events", false);
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(reader.status()).isEqualTo(200);

        b.refreshes().refresh("public.leaderboard");

        for (SseClient sse : List.of(admin, reader)) {
            SseClient.Event event = next(sse, "refresh");
            assertThat(event.id()).isEqualTo(Long.toString(latestRunId()));
            JsonNode data = data(event);
            List<String> fields = new ArrayList<>();
            data.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("schemaName", "viewName", "status", "lastRefreshAt", "lastSuccessAt",
                    "durationMs", "skipped");
            assertThat(data.get("schemaName").asText()).isEqualTo("public");
            assertThat(data.get("viewName").asText()).isEqualTo("leaderboard");
            assertThat(data.get("status").asText()).isEqualTo("success");
            assertThat(data.get("skipped").asBoolean()).isFalse();
            assertThat(data.get("lastSuccessAt").isTextual()).isTrue();
        }
    }

    @Test
    void aViewsStreamCarriesOnlyThatViewsEvents() {
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        AybMatviews matviews = instance(true, EventDelivery.LISTEN);
        AdminClient api = serve(matviews, UnaryOperator.identity());
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        matviews.registry().register(QualifiedName.parse("public.user_names"));
        SseClient reader = stream(api, "/api/collections/leaderboard/events", true);

        matviews.refreshes().refresh("public.user_names");
        matviews.refreshes().refresh("public.leaderboard");

        assertThat(data(next(reader, "refresh")).get("viewName").asText()).isEqualTo("leaderboard");
    }

    @Test
    void aReconnectWithLastEventIdMissesNothingAndRepeatsNothing() {
        AybMatviews matviews = instance(true, EventDelivery.LISTEN);
        AdminClient api = serve(matviews, UnaryOperator.identity());
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        SseClient first = stream(api, "/api/collections/leaderboard/events", true);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            matviews.refreshes().refresh("public.leaderboard");
            seen.add(next(first, "refresh").id());
        }
        first.close();
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            matviews.refreshes().refresh("public.leaderboard");
            missed.add(Long.toString(latestRunId()));
        }

        SseClient again = stream(api, "/api/collections/leaderboard/events", true, "Last-Event-ID", seen.get(2));
        List<String> received = new ArrayList<>(List.of(next(again, "refresh").id(), next(again, "refresh").id()));
        matviews.refreshes().refresh("public.leaderboard");
        received.add(next(again, "refresh").id());

        List<String> expected = new ArrayList<>(missed);
        expected.add(Long.toString(latestRunId()));
        assertThat(received).containsExactlyElementsOf(expected);
        assertThat(again.next(Duration.ofMillis(500))).isNull();
    }

    @Test
    void theEventRoutesAskForWhatReadingTheViewAsksFor() {
        AybMatviews matviews = instance(true, EventDelivery.LISTEN);
        AdminClient api = serve(matviews, UnaryOperator.identity());

        SseClient anonymousAdmin = stream(api, "/api/admin/events", false);
        assertThat(anonymousAdmin.status()).isEqualTo(401);
        assertThat(anonymousAdmin.headers().firstValue("WWW-Authenticate")).isPresent();
        SseClient anonymousReader = stream(api, "/api/collections/leaderboard/events", false);
        assertThat(anonymousReader.status()).isEqualTo(401);
        assertThat(stream(api, "/api/collections/leaderboard/events", true).status()).isEqualTo(200);
        assertThat(stream(api, "/api/collections/users/events", true).status()).isEqualTo(404);
        assertThat(stream(api, "/api/collections/no_such_view/events", true).status()).isEqualTo(404);
        assertThat(stream(api, "/api/collections/bad%20name/events", true).status()).isEqualTo(400);
        Reply post = api.post("/api/admin/events");
        assertThat(post.status()).isEqualTo(405);
    }

    @Test
    void streamsBeyondTheLimitAreAnswered503WithRetryAfter() {
        AybMatviews matviews = instance(true, EventDelivery.LISTEN);
        String token = AdminClient.randomToken();
        AybAdminServlet servlet = AybAdminServlet.builder(matviews, AdminAuthenticator.bearerToken(token))
                // A gone client is noticed when a write to it fails: the heartbeat makes that soon.
                .maxEventStreams(2).eventHeartbeat(Duration.ofMillis(100)).build();
        JettyServer server = JettyServer.start(servlet);
        opened.add(server);
        AdminClient api = new AdminClient(server.root(), token);
        SseClient one = stream(api, "/api/admin/events", true);
        stream(api, "/api/admin/events", true);

        SseClient refused = stream(api, "/api/admin/events", true);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.errorBody()).contains("too many open event streams");

        one.close();
        Await.until("the closed stream is counted out", () -> servlet.openEventStreams() == 1, PATIENCE);
        assertThat(stream(api, "/api/admin/events", true).status()).isEqualTo(200);
    }

    @Test
    void heartbeatsKeepAnIdleStreamTalking() {
        AybMatviews matviews = instance(true, EventDelivery.LISTEN);
        AdminClient api = serve(matviews, options -> options.eventHeartbeat(Duration.ofMillis(100)));
        SseClient idle = stream(api, "/api/admin/events", true);

        Await.until("three heartbeats", () -> idle.comments() >= 4, PATIENCE);
    }

    @Test
    void aClientThatStopsReadingDoesNotHoldUpTheOthers() throws IOException {
        AybMatviews matviews = instance(true, EventDelivery.LISTEN);
        AdminClient api = serve(matviews, options -> options.eventBufferBytes(4096));
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        URI uri = api.uri("/api/admin/events");
        try (Socket stalled = new Socket()) {
            // A client that asks for the stream and then never reads a byte of it, with as small a window as it gets.
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/admin/events HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer "
                    + api.token() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            SseClient reading = stream(api, "/api/admin/events", true);
            SseClient paused = stream(api, "/api/admin/events", true);
            paused.stopReading();

            for (int i = 0; i < 30; i++) {
                matviews.refreshes().refresh("public.leaderboard");
                long id = latestRunId();
                assertThat(next(reading, "refresh").id()).isEqualTo(Long.toString(id));
            }
        }
    }

    @Test
    void theAdminStreamCarriesScheduleAndJobEvents() {
        AybMatviews matviews = instance(true, EventDelivery.LISTEN);
        String token = AdminClient.randomToken();
        AybJobs jobs = AybJobs.builder(matviews).jobsEnabled(true).build();
        JettyServer server = JettyServer.start(AybAdminServlet.builder(jobs, AdminAuthenticator.bearerToken(token))
                .build());
        opened.add(server);
        AdminClient api = new AdminClient(server.root(), token);
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        SseClient admin = stream(api, "/api/admin/events", true);

        Reply created = api.post("/api/admin/schedules", "{\"name\": \"nightly\", \"jobType\":"
                + " \"materialized_view_refresh\", \"cronExpr\": \"@daily\", \"payload\": {\"view_name\":"
                + " \"leaderboard\"}}");
        assertThat(created.status()).isEqualTo(201);

        SseClient.Event schedule = next(admin, "schedule");
        assertThat(schedule.id()).isNull();
        assertThat(data(schedule).get("name").asText()).isEqualTo("nightly");
        assertThat(api.post("/api/admin/schedules/nightly/run").status()).isLessThan(300);
        assertThat(data(next(admin, "job")).get("type").asText()).isEqualTo("materialized_view_refresh");
    }
}
