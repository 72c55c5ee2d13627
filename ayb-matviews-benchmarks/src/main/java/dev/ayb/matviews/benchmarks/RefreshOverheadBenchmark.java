package dev.ayb.matviews.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * 1. What a library refresh costs over the bare {@code REFRESH MATERIALIZED VIEW} of the same view, sent
 * by raw JDBC on a connection from the same pool: the library adds a lookup of the registration, the lock
 * (one statement that also reads what CONCURRENTLY needs), the record of the run and the unlock. On a tiny
 * view that is the whole difference; on a large one it must vanish in the refresh itself.
 */
final class RefreshOverheadBenchmark implements Benchmark {
    static final int LARGE_ROWS = 200_000;
    private static final String TINY = BenchmarkContext.SCHEMA + ".tiny_view";
    private static final String LARGE = BenchmarkContext.SCHEMA + ".large_view";

    @Override
    public int number() {
        return 1;
    }

    @Override
    public String title() {
        return "Refresh overhead: library refresh vs raw JDBC REFRESH";
    }

    /** The statement that creates the large view's source table, {@link #LARGE_ROWS} rows, as {@code table}. */
    static String largeSource(String table) {
        return "CREATE TABLE " + table + " AS SELECT g AS id, g % 1000 AS grp,"
                + " (g::bigint * 7919) % 100000 AS amount FROM generate_series(1, " + LARGE_ROWS + ") g";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        context.execute("CREATE SCHEMA IF NOT EXISTS " + BenchmarkContext.SCHEMA,
                "DROP MATERIALIZED VIEW IF EXISTS " + TINY,
                "DROP MATERIALIZED VIEW IF EXISTS " + LARGE,
                "DROP TABLE IF EXISTS " + BenchmarkContext.SCHEMA + ".large_source",
                "CREATE MATERIALIZED VIEW " + TINY + " AS SELECT g AS id, g * 2 AS value FROM generate_series(1, 10) g",
                "CREATE UNIQUE INDEX ON " + TINY + " (id)",
                largeSource(BenchmarkContext.SCHEMA + ".large_source"),
                "CREATE MATERIALIZED VIEW " + LARGE + " AS SELECT id, grp, amount FROM "
                        + BenchmarkContext.SCHEMA + ".large_source",
                "CREATE UNIQUE INDEX ON " + LARGE + " (id)",
                "VACUUM ANALYZE " + BenchmarkContext.SCHEMA + ".large_source");
        HikariDataSource pool = context.pool("bench-refresh", 4);
        AybMatviews matviews = context.matviews(pool);
        matviews.registry().register(QualifiedName.parse(TINY), RefreshMode.STANDARD);
        matviews.registry().register(QualifiedName.parse(LARGE), RefreshMode.STANDARD);

        List<Figure> figures = new ArrayList<>();
        figures.add(compare(context, matviews, pool, TINY, RefreshMode.STANDARD, 100, 300,
                "tiny view (10 rows)"));
        figures.add(compare(context, matviews, pool, TINY, RefreshMode.CONCURRENT, 100, 300,
                "tiny view (10 rows)"));
        figures.add(compare(context, matviews, pool, LARGE, RefreshMode.STANDARD, 3, 40,
                "large view (" + Format.number(LARGE_ROWS) + " rows)"));
        figures.add(compare(context, matviews, pool, LARGE, RefreshMode.CONCURRENT, 2, 20,
                "large view (" + Format.number(LARGE_ROWS) + " rows)"));
        figures.add(roundTrips(context, TINY, RefreshMode.STANDARD));
        figures.add(roundTrips(context, TINY, RefreshMode.CONCURRENT));
        return figures;
    }

    private Figure compare(BenchmarkContext context, AybMatviews matviews, HikariDataSource pool, String view,
                           RefreshMode mode, int warmUpPairs, int pairs, String description) throws Exception {
        matviews.registry().updateMode(view, mode);
        String sql = "REFRESH MATERIALIZED VIEW " + (mode == RefreshMode.CONCURRENT ? "CONCURRENTLY " : "") + view;
        Timing.Operation library = () -> matviews.refreshes().refresh(view);
        Timing.Operation raw = () -> {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        };
        context.progress(description + ", " + mode + ": " + warmUpPairs + " warm-up and " + pairs + " measured pairs");
        Timing.warmUp(warmUpPairs, library, raw);
        Figure figure = Figure.paired(number(), "refresh, " + description + ", " + mode, "ms",
                Timing.compare(pairs, library, raw), "raw JDBC REFRESH");
        boolean tiny = view.equals(TINY);
        return figure.withTarget(tiny ? Target.extraMedianAtMost(1.5, "ms") : Target.ratioAtMost(1.03))
                .withNote(String.format(java.util.Locale.ROOT, "extra at median %+.3f ms; ratio of the medians %.3f",
                        figure.median() - figure.baselineMedian(), figure.ratioOfMedians()));
    }

    /** Statements sent per refresh, counted under the pool, against the one statement of the raw refresh. */
    private Figure roundTrips(BenchmarkContext context, String view, RefreshMode mode) throws Exception {
        RecordingDataSource counter = context.counter();
        AybMatviews matviews = context.matviews(context.pool("bench-refresh-counted", 2, counter));
        matviews.registry().updateMode(view, mode);
        int refreshes = 50;
        for (int i = 0; i < 10; i++) {
            matviews.refreshes().refresh(view);
        }
        counter.clear();
        long statementsBefore = counter.executions();
        long othersBefore = counter.otherRoundTrips();
        for (int i = 0; i < refreshes; i++) {
            matviews.refreshes().refresh(view);
        }
        List<String> sent = counter.statements();
        double statements = (counter.executions() - statementsBefore) / (double) refreshes;
        double others = (counter.otherRoundTrips() - othersBefore) / (double) refreshes;
        String firstRefresh = String.join(" | ", sent.subList(0, Math.min(sent.size(), (int) Math.round(statements
                + others))).stream().map(RefreshOverheadBenchmark::firstWords).toList());
        return Figure.counted(number(), "round trips per refresh, " + mode, "statements", statements,
                "raw JDBC REFRESH", 1, refreshes).withNote("plus " + Format.number(others)
                        + " commit/rollback/validation per refresh; one refresh sends: " + firstRefresh);
    }

    private static String firstWords(String sql) {
        if (sql == null) {
            return "?";
        }
        String[] words = sql.strip().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, 3)));
    }
}
