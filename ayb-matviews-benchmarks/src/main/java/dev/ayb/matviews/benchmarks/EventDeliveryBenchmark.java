package dev.ayb.matviews.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.EventDelivery;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import dev.ayb.matviews.testkit.http.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * 8. Refresh events. Delivery latency: instance B refreshes a view, instance A (its own pool, its own Jetty)
 * streams the view's events, and an SSE client of A times each event from the moment B's refresh returned
 * (just after its record committed) to the moment the event is parsed, once with A listening and once with A
 * polling at the default interval. Idle subscribers: a thousand streams opened on one instance, with the
 * server's threads and heap measured before and after, then one refresh that each of them must receive.
 *
 * <p>The thousand subscribers are plain sockets that read nothing until the event, so the client side adds no
 * thread and next to no heap in the measuring JVM: what is counted is the server's.
 */
final class EventDeliveryBenchmark implements Benchmark {
    private static final String VIEW = BenchmarkContext.SCHEMA + ".events_view";
    private static final String SOURCE = BenchmarkContext.SCHEMA + ".events_source";
    private static final String EVENTS_PATH = "/api/collections/" + VIEW + "/events";
    private static final int LISTEN_EVENTS = 300;
    private static final int POLL_EVENTS = 60;
    private static final int IDLE_SUBSCRIBERS = 1_000;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Override
    public int number() {
        return 8;
    }

    @Override
    public String title() {
        return "Refresh events: delivery latency across instances, and " + Format.number(IDLE_SUBSCRIBERS)
                + " idle subscribers";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        context.execute("CREATE SCHEMA IF NOT EXISTS " + BenchmarkContext.SCHEMA,
                "DROP MATERIALIZED VIEW IF EXISTS " + VIEW, "DROP TABLE IF EXISTS " + SOURCE,
                "CREATE TABLE " + SOURCE + " (id int PRIMARY KEY, score int NOT NULL)",
                "INSERT INTO " + SOURCE + " SELECT g, g FROM generate_series(1, 100) g",
                "CREATE MATERIALIZED VIEW " + VIEW + " AS SELECT id, score FROM " + SOURCE,
                "CREATE UNIQUE INDEX ON " + VIEW + " (id)");
        AybMatviews refresher = context.matviews(context.pool("events-b", 2));
        refresher.registry().findOrRegister(QualifiedName.parse(VIEW));
        refresher.registry().updateMode(VIEW, RefreshMode.STANDARD);

        List<Figure> figures = new ArrayList<>();
        Duration pollInterval = AybMatviews.DEFAULT_EVENT_POLL_INTERVAL;
        context.progress(LISTEN_EVENTS + " refreshes on instance B, streamed by instance A listening");
        figures.add(Figure.of(number(), "commit → SSE client on another instance, LISTEN", "ms",
                latency(context, refresher, EventDelivery.LISTEN, LISTEN_EVENTS, Duration.ofMillis(40)))
                .withTarget(Target.p99AtMost(250, "ms")));
        context.progress(POLL_EVENTS + " refreshes on instance B, streamed by instance A polling every "
                + pollInterval.toMillis() + " ms");
        figures.add(Figure.of(number(), "commit → SSE client on another instance, polling", "ms",
                latency(context, refresher, EventDelivery.POLL, POLL_EVENTS, pollInterval.dividedBy(3)))
                .withTarget(Target.p99AtMost(pollInterval.toMillis() + 250, "ms")));
        figures.addAll(idleSubscribers(context, refresher));
        return figures;
    }

    private Samples latency(BenchmarkContext context, AybMatviews refresher, EventDelivery delivery, int events,
                            Duration meanGap) throws Exception {
        HikariDataSource pool = context.pool("events-a-" + delivery.name().toLowerCase(Locale.ROOT), 3);
        AybMatviews subscriber = AybMatviews.builder().dataSource(pool).eventDelivery(delivery).build();
        Samples samples = new Samples();
        try (LoopbackServer server = LoopbackServer.start(subscriber);
             SseClient sse = SseClient.open(HttpClient.newHttpClient(), HttpRequest.newBuilder(
                     server.base().resolve(EVENTS_PATH)).header("Authorization", "Bearer " + LoopbackServer.TOKEN)
                     .GET().build(), PATIENCE)) {
            if (sse.status() != 200) {
                throw new IllegalStateException("the event stream answered " + sse.status());
            }
            for (int i = 0; i < events + 5; i++) {
                // Random gaps, so that polled events fall anywhere in the poll cycle.
                Thread.sleep(ThreadLocalRandom.current().nextLong(meanGap.toMillis() / 2, meanGap.toMillis() * 3 / 2));
                refresher.refreshes().refresh(VIEW);
                Instant committed = Instant.now();
                SseClient.Event event = nextRefresh(sse);
                // The first few warm the path up. A listening client may parse the event before refresh() has
                // returned on this thread: that counts as no delay, not as a negative one.
                if (i >= 5) {
                    samples.addNanosAsMillis(Math.max(0, Duration.between(committed, event.receivedAt()).toNanos()));
                }
            }
        }
        return samples;
    }

    private static SseClient.Event nextRefresh(SseClient sse) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            SseClient.Event event = sse.next(Duration.ofMillis(50));
            if (event != null && event.event().equals("refresh")) {
                return event;
            }
        }
        throw new IllegalStateException("no refresh event within " + PATIENCE);
    }

    private List<Figure> idleSubscribers(BenchmarkContext context, AybMatviews refresher) throws Exception {
        AybMatviews subscriber = AybMatviews.builder().dataSource(context.pool("events-a-idle", 3)).build();
        AybAdminServlet servlet = AybAdminServlet.builder(subscriber, AdminAuthenticator.bearerToken(
                LoopbackServer.TOKEN)).maxEventStreams(IDLE_SUBSCRIBERS + 10).build();
        List<Socket> sockets = new ArrayList<>();
        try (LoopbackServer server = LoopbackServer.start(servlet, null);
             Socket first = openStream(server.base())) {
            // One stream open before the count: classes loaded, the event thread and the heartbeat thread started
            // (one per instance and one per servlet, whatever the number of streams), so that what follows
            // counts what the thousand streams add.
            Thread.sleep(500);
            first.setKeepAlive(true);
            Footprint before = Footprint.now();
            context.progress("opening " + Format.number(IDLE_SUBSCRIBERS) + " idle event streams");
            for (int i = 0; i < IDLE_SUBSCRIBERS; i++) {
                sockets.add(openStream(server.base()));
            }
            // Every stream is subscribed once its head is read; the pause only lets threads that served the
            // opening (Jetty's acceptors and selectors) go idle, so that they are not counted as the streams'.
            Thread.sleep(1000);
            Footprint after = Footprint.now();
            if (servlet.openEventStreams() != IDLE_SUBSCRIBERS + 1) {
                throw new IllegalStateException(servlet.openEventStreams() + " streams open, not "
                        + (IDLE_SUBSCRIBERS + 1));
            }
            refresher.refreshes().refresh(VIEW);
            int received = 0;
            for (Socket socket : sockets) {
                if (readUntil(socket, "event: refresh")) {
                    received++;
                }
            }
            return List.of(
                    Figure.value(number(), "threads added by " + Format.number(IDLE_SUBSCRIBERS) + " idle streams",
                            "threads", after.threads() - before.threads(), IDLE_SUBSCRIBERS)
                            .withTarget(Target.valueAtMost(10)),
                    Figure.value(number(), "heap added by " + Format.number(IDLE_SUBSCRIBERS) + " idle streams",
                            "MiB", (after.heapBytes() - before.heapBytes()) / (1024.0 * 1024.0), IDLE_SUBSCRIBERS)
                            .withTarget(Target.valueAtMost(50)),
                    Figure.value(number(), "idle streams that missed the next event", "streams",
                            IDLE_SUBSCRIBERS - received, IDLE_SUBSCRIBERS).withTarget(Target.valueAtMost(0)));
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** A GET of the view's events on a plain socket, its answer's head read; the body is left unread. */
    private static Socket openStream(URI base) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        socket.setSoTimeout((int) PATIENCE.toMillis());
        socket.getOutputStream().write(("GET " + EVENTS_PATH + " HTTP/1.1\r\nHost: " + base.getHost()
                + "\r\nAuthorization: Bearer " + LoopbackServer.TOKEN + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        if (!readUntil(socket, "\r\n\r\n")) {
            socket.close();
            throw new IOException("no answer to the event stream request");
        }
        return socket;
    }

    /** Reads until {@code marker} went by; false at the end of the stream or on timeout. */
    private static boolean readUntil(Socket socket, String marker) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        try {
            int next;
            while ((next = in.read()) >= 0) {
                seen.append((char) next);
                if (seen.length() >= marker.length() && seen.indexOf(marker, seen.length() - marker.length()) >= 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
        return false;
    }

    /** Live threads and heap in use after a full collection. */
    private record Footprint(int threads, long heapBytes) {
        static Footprint now() throws InterruptedException {
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(100);
            }
            return new Footprint(ManagementFactory.getThreadMXBean().getThreadCount(),
                    memory.getHeapMemoryUsage().getUsed());
        }
    }
}
