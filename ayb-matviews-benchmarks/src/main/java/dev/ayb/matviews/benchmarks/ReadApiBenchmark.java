package dev.ayb.matviews.benchmarks;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import dev.ayb.matviews.testkit.StreamingReplica;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * 3. The read API, {@code GET /api/collections/{view}?perPage=50}, over HTTP from 8 concurrent clients,
 * against the least a hand-written endpoint would do: the same page by one {@code LIMIT/OFFSET} query on a
 * pool, serialised with Jackson to bytes, in-process (no HTTP at all). That ratio is the target.
 *
 * <p>More loads split the gap: the same API with {@code skipTotal=true} (the count query is the
 * difference), the baseline's query served by a plain servlet on the same Jetty (what an application gets
 * without the library: the second target, the API at 0.8 of it with totals counted), the API read from
 * a hot standby of the server (information: the same machine, so it shows the cost of the replica path, not a
 * scale-out), and a 404 that touches no database (what HTTP alone costs with this client on this machine: the
 * ceiling of any HTTP figure against an in-process baseline). The loads run in windows whose order rotates
 * each round, so drift hits them alike. Then the statements one read sends, and deep paging (page cache off):
 * page 1,000 by page number (OFFSET) and by cursor ({@code after=}, keyset).
 */
final class ReadApiBenchmark implements Benchmark {
    static final int ROWS = 60_000;
    static final int PER_PAGE = 50;
    static final int CLIENTS = 8;
    /** Requests are spread over the first pages, as a list UI's readers would spread them. */
    static final int PAGES_IN_USE = 20;
    static final int DEEP_PAGE = 1000;
    private static final String VIEW = BenchmarkContext.SCHEMA + ".read_view";
    private static final long WARM_UP_MILLIS = 1500;
    private static final long WINDOW_MILLIS = 2000;
    private static final int WINDOW_ROUNDS = 4;
    private static final String JDBC_BASELINE = "raw JDBC page + Jackson, in-process";
    private static final String HAND_WRITTEN = "hand-written servlet, same Jetty";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public int number() {
        return 3;
    }

    @Override
    public String title() {
        return "Read API: GET /api/collections/{view}?perPage=" + PER_PAGE + " with " + CLIENTS + " clients";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        context.execute("CREATE SCHEMA IF NOT EXISTS " + BenchmarkContext.SCHEMA,
                "DROP MATERIALIZED VIEW IF EXISTS " + VIEW,
                "CREATE MATERIALIZED VIEW " + VIEW + " AS SELECT g::bigint AS id, 'user ' || g AS name,"
                        + " round((g * 7919 % 100000) / 100.0, 2) AS score,"
                        + " timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute' AS created_at,"
                        + " g % 3 = 0 AS active FROM generate_series(1, " + ROWS + ") g",
                "CREATE UNIQUE INDEX ON " + VIEW + " (id)",
                "VACUUM ANALYZE " + VIEW);
        HikariDataSource pool = context.pool("bench-read", CLIENTS);
        AybMatviews matviews = context.matviews(pool);
        matviews.registry().register(QualifiedName.parse(VIEW));
        matviews.refreshes().refresh(VIEW);
        LoopbackServer server = context.closeAtEnd(LoopbackServer.start(matviews, new HandWrittenPageServlet(pool)));
        LoopbackServer uncachedServer = context.closeAtEnd(LoopbackServer.start(
                AybAdminServlet.builder(matviews, AdminAuthenticator.bearerToken(LoopbackServer.TOKEN))
                        .collectionPageCache(0).build(), null));
        context.progress("starting a hot standby for the replica load");
        StreamingReplica replica = context.replica();
        replica.waitForReplay();
        LoopbackServer replicaServer = context.closeAtEnd(LoopbackServer.startReadingFrom(
                ReadReplica.of(context.pool("bench-read-replica", CLIENTS, replica))
                        .withFallback(ReadReplica.Fallback.UNAVAILABLE), matviews));
        List<LoopbackClient> replicaClients = new ArrayList<>();
        List<LoopbackClient> clients = new ArrayList<>();
        List<LoopbackClient> uncachedClients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(context.closeAtEnd(server.client()));
            replicaClients.add(context.closeAtEnd(replicaServer.client()));
            uncachedClients.add(context.closeAtEnd(uncachedServer.client()));
        }
        LoopbackClient client = clients.get(0);

        String path = "/api/collections/" + VIEW + "?perPage=" + PER_PAGE;
        List<String> pages = new ArrayList<>();
        List<String> pagesWithoutTotal = new ArrayList<>();
        List<String> handWrittenPages = new ArrayList<>();
        for (int page = 1; page <= PAGES_IN_USE; page++) {
            pages.add(path + "&page=" + page);
            pagesWithoutTotal.add(path + "&page=" + page + "&skipTotal=true");
            handWrittenPages.add(HandWrittenPageServlet.PATH + "?page=" + page);
        }
        checkSamePage(client, path + "&page=2", pool);
        checkSamePage(replicaClients.get(0), path + "&page=2", pool);
        checkSamePage(uncachedClients.get(0), path + "&page=2", pool);

        List<Load> loads = List.of(
                new Load("api", (thread, sequence) ->
                        clients.get(thread).get(pages.get((int) (sequence % PAGES_IN_USE)), 200)),
                new Load("jdbc", (thread, sequence) -> jdbcPage(pool, (int) (sequence % PAGES_IN_USE) + 1)),
                new Load("api-skip-total", (thread, sequence) ->
                        clients.get(thread).get(pagesWithoutTotal.get((int) (sequence % PAGES_IN_USE)), 200)),
                new Load("hand-written", (thread, sequence) ->
                        clients.get(thread).get(handWrittenPages.get((int) (sequence % PAGES_IN_USE)), 200)),
                new Load("http-floor", (thread, sequence) ->
                        clients.get(thread).get(LoopbackServer.NO_SUCH_ROUTE, 404)),
                new Load("api-replica", (thread, sequence) ->
                        replicaClients.get(thread).get(pages.get((int) (sequence % PAGES_IN_USE)), 200)),
                new Load("api-uncached", (thread, sequence) ->
                        uncachedClients.get(thread).get(pages.get((int) (sequence % PAGES_IN_USE)), 200)));
        context.progress("warm-up " + WARM_UP_MILLIS + " ms per load; then " + WINDOW_ROUNDS + " rounds of "
                + loads.size() + " loads, " + WINDOW_MILLIS + " ms each, in rotating order");
        for (Load load : loads) {
            LoadWindow.run(CLIENTS, WARM_UP_MILLIS, load.request());
        }
        for (int round = 0; round < WINDOW_ROUNDS; round++) {
            for (int i = 0; i < loads.size(); i++) {
                Load load = loads.get((i + round) % loads.size());
                LoadWindow.Result result = LoadWindow.run(CLIENTS, WINDOW_MILLIS, load.request());
                load.rates().add(result.requestsPerSecond());
                load.latencies().addAll(result.latencies());
            }
        }
        Load api = loads.get(0);
        Load jdbc = loads.get(1);
        Load withoutTotal = loads.get(2);
        Load handWritten = loads.get(3);
        Load floor = loads.get(4);
        Load fromReplica = loads.get(5);
        Load uncached = loads.get(6);
        String windows = String.format(Locale.ROOT, "median of %d windows of %d ms; %s-row view, pages 1-%d, perPage=%d",
                WINDOW_ROUNDS, WINDOW_MILLIS, Format.number(ROWS), PAGES_IN_USE, PER_PAGE);
        List<Figure> figures = new ArrayList<>();
        figures.add(throughput(api, jdbc, JDBC_BASELINE, "read API throughput, " + CLIENTS + " clients")
                .withTarget(Target.ratioAtLeast(0.5)).withNote(windows + ", totals counted (the default)"));
        figures.add(throughput(api, handWritten, HAND_WRITTEN, "read API, one statement, vs hand-written servlet")
                .withTarget(Target.ratioAtLeast(0.8))
                .withNote("the same API figure (totals counted) against the baseline's query served by a plain"
                        + " servlet on the same Jetty: what the library costs over an endpoint written by hand. With"
                        + " the page cache (the default), a page of unchanged data is answered by one statement that"
                        + " reads the view's state, and its rows are neither read nor written again"));
        figures.add(throughput(uncached, handWritten, HAND_WRITTEN, "read API, page cache off")
                .withNote("the same requests to a servlet built with collectionPageCache(0): every read reads and"
                        + " writes its rows, in one statement"));
        figures.add(throughput(fromReplica, handWritten, HAND_WRITTEN, "read API from a replica")
                .withNote("the same requests served from a hot standby of the server, on the same machine:"
                        + " information, the replica path's cost (lag check, its own pool), not a scale-out"));
        figures.add(throughput(withoutTotal, handWritten, HAND_WRITTEN, "read API throughput, skipTotal=true")
                .withNote("the same requests without the count query"));
        figures.add(throughput(handWritten, jdbc, JDBC_BASELINE, "hand-written servlet throughput")
                .withNote("HTTP's share: the baseline's work, served over the same client and server"));
        figures.add(throughput(floor, jdbc, JDBC_BASELINE, "HTTP floor: 404 without database work")
                .withNote("the same clients and server answering a route that does not exist: the ceiling of any"
                        + " HTTP figure against the in-process baseline on this machine"));
        figures.add(Figure.compared(number(), "read API latency, " + CLIENTS + " clients", "ms", api.latencies(),
                JDBC_BASELINE, jdbc.latencies()));
        figures.add(roundTripsPerRead(context, path + "&page=2"));
        figures.addAll(deepPaging(context, uncachedClients.get(0)));
        return figures;
    }

    /** One kind of load, and what its windows achieved. */
    private record Load(String name, LoadWindow.Request request, Samples rates, Samples latencies) {
        Load(String name, LoadWindow.Request request) {
            this(name, request, new Samples(), new Samples());
        }
    }

    private Figure throughput(Load measured, Load baseline, String baselineName, String name) {
        return Figure.throughput(number(), name, measured.rates(), measured.latencies().count(), baselineName,
                baseline.rates(), baseline.latencies().count());
    }

    /**
     * Statements one read sends once the view's shape is known, on a second server whose pool is counted: the
     * target is 1 (settings, rows, count or not, registration and shape check travel as one statement).
     */
    private Figure roundTripsPerRead(BenchmarkContext context, String pathAndQuery) throws Exception {
        RecordingDataSource counter = context.counter();
        AybMatviews counted = AybMatviews.builder().dataSource(context.pool("bench-read-counted", 2, counter))
                .migrate(false).build();
        LoopbackServer server = context.closeAtEnd(LoopbackServer.start(counted));
        LoopbackClient client = context.closeAtEnd(server.client());
        for (int i = 0; i < 20; i++) {
            client.get(pathAndQuery, 200);
        }
        int reads = 100;
        long statements = counter.executions();
        long others = counter.otherRoundTrips();
        for (int i = 0; i < reads; i++) {
            client.get(pathAndQuery, 200);
        }
        double perRead = (counter.executions() - statements) / (double) reads;
        double othersPerRead = (counter.otherRoundTrips() - others) / (double) reads;
        return Figure.counted(number(), "statements per read request", "statements", perRead, "raw JDBC page", 1,
                reads).withTarget(Target.valueAtMost(1))
                .withNote("plus " + Format.number(othersPerRead) + " commit/rollback/validation per read");
    }

    private List<Figure> deepPaging(BenchmarkContext context, LoopbackClient client) throws Exception {
        String path = "/api/collections/" + VIEW + "?perPage=" + PER_PAGE + "&skipTotal=true";
        JsonNode previous = JSON.readTree(client.get(path + "&page=" + (DEEP_PAGE - 1), 200));
        String cursor = previous.path("nextCursor").asText(null);
        if (cursor == null) {
            throw new IllegalStateException("page " + (DEEP_PAGE - 1) + " came without a nextCursor: " + previous);
        }
        String byOffset = path + "&page=" + DEEP_PAGE;
        String byCursor = path + "&after=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        JsonNode offsetPage = JSON.readTree(client.get(byOffset, 200));
        JsonNode cursorPage = JSON.readTree(client.get(byCursor, 200));
        if (!offsetPage.path("items").equals(cursorPage.path("items")) || offsetPage.path("items").size() != PER_PAGE) {
            throw new IllegalStateException("page " + DEEP_PAGE + " differs by offset and by cursor");
        }
        int pairs = 300;
        context.progress("deep paging: page " + DEEP_PAGE + " by offset and by cursor, " + pairs + " pairs");
        Timing.Operation offset = () -> client.get(byOffset, 200);
        Timing.Operation keyset = () -> client.get(byCursor, 200);
        Timing.warmUp(50, keyset, offset);
        return List.of(Figure.paired(number(), "page " + Format.number(DEEP_PAGE) + " by cursor (after=)", "ms",
                Timing.compare(pairs, keyset, offset), "page=" + DEEP_PAGE + " (OFFSET)")
                .withNote("one client, skipTotal=true on both, page cache off (a kept page would hide the query),"
                        + " so the difference is the page query itself"));
    }

    /** The baseline: one query on a pooled connection, the rows written as JSON with Jackson to bytes. */
    static byte[] jdbcPage(DataSource pool, int page) throws Exception {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT id, name, score, created_at, active"
                     + " FROM " + VIEW + " ORDER BY id LIMIT ? OFFSET ?")) {
            statement.setInt(1, PER_PAGE);
            statement.setInt(2, (page - 1) * PER_PAGE);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
            try (ResultSet rows = statement.executeQuery();
                 JsonGenerator json = JSON.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
                json.writeStartObject();
                json.writeNumberField("page", page);
                json.writeNumberField("perPage", PER_PAGE);
                json.writeArrayFieldStart("items");
                while (rows.next()) {
                    json.writeStartObject();
                    json.writeNumberField("id", rows.getLong(1));
                    json.writeStringField("name", rows.getString(2));
                    json.writeNumberField("score", rows.getBigDecimal(3));
                    json.writeStringField("created_at", rows.getObject(4, OffsetDateTime.class).toString());
                    json.writeBooleanField("active", rows.getBoolean(5));
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            return bytes.toByteArray();
        }
    }

    /** The baseline must serve the same rows as the API, or the comparison means nothing. */
    private static void checkSamePage(LoopbackClient client, String pathAndQuery, DataSource pool) throws Exception {
        JsonNode api = JSON.readTree(client.get(pathAndQuery, 200)).path("items");
        JsonNode raw = JSON.readTree(jdbcPage(pool, 2)).path("items");
        if (api.size() != PER_PAGE || raw.size() != PER_PAGE
                || api.get(0).path("id").asLong() != raw.get(0).path("id").asLong()
                || api.get(PER_PAGE - 1).path("id").asLong() != raw.get(PER_PAGE - 1).path("id").asLong()) {
            throw new IllegalStateException("the API and the baseline serve different pages: " + api.get(0) + " vs "
                    + raw.get(0));
        }
    }
}
