package dev.ayb.matviews.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * 2. How fast a refresh is turned away while another holds the view's lock. The lock is held the way a
 * refresh on another instance holds it: {@code pg_advisory_lock(namespace, view oid)} on a session of its
 * own. In-process, the baseline is the least any implementation must do, one {@code pg_try_advisory_lock}
 * round trip on a pooled connection; over HTTP, it is the same client and server answering a request that
 * touches no database (a 404), so the ratio shows what the library adds to the transport.
 */
final class ConflictBenchmark implements Benchmark {
    private static final String VIEW = BenchmarkContext.SCHEMA + ".conflict_view";
    /** The library's key for a view: its oid's bits as an int4, as AdvisoryRefreshLocks computes it. */
    private static final String LOCK_KEY = "(c.oid::int8 - CASE WHEN c.oid::int8 > 2147483647 THEN 4294967296"
            + " ELSE 0 END)::int4";

    @Override
    public int number() {
        return 2;
    }

    @Override
    public String title() {
        return "Conflict fast path: rejecting a refresh while another runs";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        context.execute("CREATE SCHEMA IF NOT EXISTS " + BenchmarkContext.SCHEMA,
                "DROP MATERIALIZED VIEW IF EXISTS " + VIEW,
                "CREATE MATERIALIZED VIEW " + VIEW + " AS SELECT g AS id FROM generate_series(1, 10) g",
                "CREATE UNIQUE INDEX ON " + VIEW + " (id)");
        HikariDataSource pool = context.pool("bench-conflict", 4);
        AybMatviews matviews = context.matviews(pool);
        matviews.registry().register(QualifiedName.parse(VIEW));
        int key = (int) context.queryLong("SELECT " + LOCK_KEY + " FROM pg_class c WHERE c.oid = '" + VIEW
                + "'::regclass");

        Connection holder = context.connection();
        try (PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            lock.setInt(1, AybMatviews.DEFAULT_LOCK_NAMESPACE);
            lock.setInt(2, key);
            lock.execute();
        }
        Timing.Operation library = () -> {
            try {
                matviews.refreshes().refresh(VIEW);
                throw new AssertionError("the refresh ran although another session held the lock");
            } catch (MatviewException e) {
                if (e.code() != ErrorCode.REFRESH_IN_PROGRESS) {
                    throw e;
                }
            }
        };
        Timing.Operation tryLock = () -> {
            try (Connection connection = pool.getConnection();
                 PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                statement.setInt(1, AybMatviews.DEFAULT_LOCK_NAMESPACE);
                statement.setInt(2, key);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next() || row.getBoolean(1)) {
                        throw new AssertionError("the baseline took the lock that another session holds");
                    }
                }
            }
        };
        int pairs = 1000;
        context.progress("in-process: 300 warm-up and " + pairs + " measured pairs");
        Timing.warmUp(300, library, tryLock);
        Timing.Comparison inProcess = Timing.compare(pairs, library, tryLock);

        LoopbackServer server = context.closeAtEnd(LoopbackServer.start(matviews));
        LoopbackClient client = context.closeAtEnd(server.client());
        String refresh = "/api/admin/matviews/" + VIEW + "/refresh";
        Timing.Operation overHttp = () -> client.post(refresh, 409);
        Timing.Operation floor = () -> client.get(LoopbackServer.NO_SUCH_ROUTE, 404);
        context.progress("over HTTP: 300 warm-up and " + pairs + " measured pairs");
        Timing.warmUp(300, overHttp, floor);
        Timing.Comparison http = Timing.compare(pairs, overHttp, floor);

        return List.of(
                Figure.paired(number(), "reject while locked, in-process", "ms", inProcess,
                        "raw pg_try_advisory_lock").withTarget(Target.p99AtMost(3, "ms")),
                Figure.paired(number(), "reject while locked, HTTP 409 (loopback)", "ms", http,
                        "HTTP 404, no database work").withTarget(Target.p99AtMost(6, "ms"))
                        .withNote("the baseline is the same client and server answering a route that does not exist:"
                                + " what HTTP alone costs here"));
    }
}
