package dev.ayb.matviews.benchmarks;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * 7. Target lag: {@value #VIEWS} tracked views with targets of 2 to 10 s, {@value #INSTANCES} instances running jobs,
 * and a writer that commits to the views' source tables in bursts with quiet periods between them. Measured: the lag
 * from each commit to the moment its view shows it, against the view's target; refreshes against write bursts;
 * refreshes that had nothing new to show (a duplicate across instances would be one); and, apart, the queries an idle
 * instance sends with {@value #IDLE_VIEWS} tracked views with a target and no writes.
 */
final class TargetLagBenchmark implements Benchmark {
    static final int VIEWS = 20;
    static final int INSTANCES = 3;
    static final int IDLE_VIEWS = 1000;
    /** The writer's run; the whole benchmark stays within four minutes. */
    private static final Duration RUN = Duration.ofSeconds(120);
    /**
     * The runners poll every 500 ms here: a write is noticed within a poll interval, so the interval must be well
     * under the smallest target (2 s). The idle figure uses the default interval.
     */
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(20);
    private static final long SEED = 7;

    /** One committed write: its view, its row id, and when its commit returned. */
    record Write(int view, long id, long committedNanos) {
    }

    @Override
    public int number() {
        return 7;
    }

    @Override
    public String title() {
        return "Target lag: " + VIEWS + " tracked views with targets of 2-10 s, " + INSTANCES
                + " instances, a bursty writer";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        String s = BenchmarkContext.SCHEMA;
        context.execute("CREATE SCHEMA IF NOT EXISTS " + s);
        AybMatviews admin = AybMatviews.builder().dataSource(context.pool("bench-lag-admin", 4)).build();
        long[] targetMs = new long[VIEWS];
        for (int i = 0; i < VIEWS; i++) {
            context.execute("DROP MATERIALIZED VIEW IF EXISTS " + s + ".lag_view_" + i,
                    "DROP TABLE IF EXISTS " + s + ".lag_source_" + i,
                    "CREATE TABLE " + s + ".lag_source_" + i + " (id bigserial PRIMARY KEY, v int NOT NULL,"
                            + " written_at timestamptz NOT NULL DEFAULT clock_timestamp())",
                    "CREATE MATERIALIZED VIEW " + s + ".lag_view_" + i + " AS SELECT count(*) AS n,"
                            + " coalesce(max(id), 0) AS last_id, sum(v) AS total FROM " + s + ".lag_source_" + i);
            targetMs[i] = 2_000 + (i % 9) * 1_000;
            admin.registry().register(QualifiedName.of(s, "lag_view_" + i), RefreshMode.STANDARD,
                    RefreshTimeouts.NONE, true, Duration.ofMillis(targetMs[i]));
            admin.refreshes().refresh(s + ".lag_view_" + i);
        }
        List<RecordingDataSource> counters = new ArrayList<>();
        List<JobRunner> runners = startRunners(context, counters, "lag", POLL);

        context.progress("writing in bursts for " + RUN.toSeconds() + " s");
        ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
        Map<Integer, Integer> bursts = new TreeMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        Map<Integer, List<Long>> seen = new HashMap<>();
        Thread watcher = new Thread(() -> watch(context, writing, seen), "bench-lag-watcher");
        watcher.start();
        write(context.pool("bench-lag-writer", 2), writes, bursts);
        // Every write must show within the largest target; then nothing should refresh.
        Thread.sleep(12_000);
        writing.set(false);
        watcher.join();
        runners.forEach(JobRunner::close);

        List<Figure> figures = new ArrayList<>();
        figures.addAll(lagFigures(context, writes, seen, targetMs));
        figures.addAll(refreshFigures(context, admin, bursts));
        figures.add(idle(context, admin));
        return figures;
    }

    private List<JobRunner> startRunners(BenchmarkContext context, List<RecordingDataSource> counters, String name,
                                         Duration poll) {
        List<JobRunner> runners = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            RecordingDataSource counter = context.counter();
            AybJobs instance = AybJobs.builder(AybMatviews.builder()
                    .dataSource(context.pool("bench-" + name + "-" + i, 6, counter)).build())
                    .jobsEnabled(true)
                    .jobOptions(JobOptions.defaults().withWorkerId(name + "-" + i).withIdlePollInterval(poll)
                            .withShutdownGrace(Duration.ofSeconds(2)))
                    .build();
            counters.add(counter);
            runners.add(context.closeAtEnd(instance.jobRunner()));
        }
        runners.forEach(JobRunner::start);
        return runners;
    }

    /** Bursts of 1 to 40 single-row commits to 1 to 4 views over up to 2 s, then 1 to 12 s of quiet. */
    private static void write(DataSource pool, ConcurrentLinkedQueue<Write> writes, Map<Integer, Integer> bursts)
            throws Exception {
        Random random = new Random(SEED);
        long end = System.nanoTime() + RUN.toNanos();
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(true);
            while (System.nanoTime() < end) {
                int views = 1 + random.nextInt(4);
                List<Integer> chosen = new ArrayList<>();
                for (int i = 0; i < views; i++) {
                    chosen.add(random.nextInt(VIEWS));
                }
                chosen.stream().distinct().forEach(view -> bursts.merge(view, 1, Integer::sum));
                int rows = 1 + random.nextInt(40);
                long burstNanos = random.nextInt(2_000) * 1_000_000L;
                for (int r = 0; r < rows; r++) {
                    int view = chosen.get(random.nextInt(chosen.size()));
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO "
                            + BenchmarkContext.SCHEMA + ".lag_source_" + view + " (v) VALUES (?) RETURNING id")) {
                        insert.setInt(1, random.nextInt(100));
                        try (ResultSet row = insert.executeQuery()) {
                            row.next();
                            writes.add(new Write(view, row.getLong(1), System.nanoTime()));
                        }
                    }
                    Thread.sleep(burstNanos / rows / 1_000_000L);
                }
                Thread.sleep(1_000 + random.nextInt(11_000));
            }
        }
    }

    /**
     * Every 20 ms, the newest row id each view shows, in one query; the first time a view shows an id, when. A
     * write's lag is the first time its view showed its id or a later one.
     */
    private static void watch(BenchmarkContext context, AtomicBoolean writing, Map<Integer, List<Long>> seen) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < VIEWS; i++) {
            sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(", last_id FROM ")
                    .append(BenchmarkContext.SCHEMA).append(".lag_view_").append(i);
        }
        long[] last = new long[VIEWS];
        try (Connection connection = context.connection(); Statement statement = connection.createStatement()) {
            while (writing.get()) {
                try (ResultSet rows = statement.executeQuery(sql.toString())) {
                    long now = System.nanoTime();
                    while (rows.next()) {
                        int view = rows.getInt(1);
                        long id = rows.getLong(2);
                        if (id > last[view]) {
                            last[view] = id;
                            synchronized (seen) {
                                seen.computeIfAbsent(view, v -> new ArrayList<>()).add(id);
                                seen.computeIfAbsent(-1 - view, v -> new ArrayList<>()).add(now);
                            }
                        }
                    }
                }
                Thread.sleep(20);
            }
        } catch (Exception e) {
            throw new IllegalStateException("watching the views", e);
        }
    }

    private List<Figure> lagFigures(BenchmarkContext context, ConcurrentLinkedQueue<Write> writes,
                                    Map<Integer, List<Long>> seen, long[] targetMs) throws Exception {
        Samples ofTarget = new Samples();
        Map<Long, Samples> byTarget = new TreeMap<>();
        double worstOver = Double.NEGATIVE_INFINITY;
        int unseen = 0;
        for (Write write : writes) {
            List<Long> ids = seen.getOrDefault(write.view(), List.of());
            List<Long> times = seen.getOrDefault(-1 - write.view(), List.of());
            Long shownAt = null;
            for (int k = 0; k < ids.size(); k++) {
                if (ids.get(k) >= write.id()) {
                    shownAt = times.get(k);
                    break;
                }
            }
            if (shownAt == null) {
                unseen++;
                continue;
            }
            double lagMs = Math.max(0, (shownAt - write.committedNanos()) / 1e6);
            long target = targetMs[write.view()];
            ofTarget.add(lagMs / target);
            byTarget.computeIfAbsent(target, t -> new Samples()).add(lagMs);
            worstOver = Math.max(worstOver, lagMs - target);
        }
        long slowestRefresh = context.queryLong("SELECT coalesce(max(duration_ms), 0) FROM ayb.matview_refresh_runs"
                + " WHERE view_name LIKE 'lag\\_view\\_%' AND status = 'success'");
        List<String> perTarget = new ArrayList<>();
        byTarget.forEach((target, lags) -> perTarget.add(String.format(Locale.ROOT,
                "%d s: p50 %.0f / p99 %.0f / max %.0f ms", target / 1000, lags.median(), lags.p99(), lags.max())));
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(number(), "lag from commit to view, as a fraction of its target", "×", ofTarget)
                .withTarget(Target.p99AtMost(1, "×"))
                .withNote(writes.size() + " writes (" + unseen + " never shown); max "
                        + Format.number(ofTarget.max()) + "× the target; by target: " + String.join("; ", perTarget)));
        figures.add(Figure.value(number(), "worst lag beyond the target", "ms", worstOver, ofTarget.count())
                .withTarget(Target.valueAtMost(Math.max(1, slowestRefresh)))
                .withNote("target: at most one refresh duration (the slowest refresh took " + slowestRefresh
                        + " ms); the watcher reads every 20 ms"));
        return figures;
    }

    /**
     * A refresh with nothing new to show: no row of its source was written between the previous refresh of its view
     * and its start. A second refresh of one change by another instance would be one.
     */
    private List<Figure> refreshFigures(BenchmarkContext context, AybMatviews admin, Map<Integer, Integer> bursts)
            throws Exception {
        String s = BenchmarkContext.SCHEMA;
        int refreshes = 0;
        int needless = 0;
        int tooClose = 0;
        int skipped = 0;
        for (int i = 0; i < VIEWS; i++) {
            String view = s + ".lag_view_" + i;
            long target = admin.registry().get(view).targetLagMs();
            String sql = "SELECT started_at, status FROM ayb.matview_refresh_runs WHERE schema_name = '" + s
                    + "' AND view_name = 'lag_view_" + i + "' AND trigger = 'schedule' ORDER BY id";
            List<Instant> starts = new ArrayList<>();
            try (Connection connection = context.connection(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    if (rows.getString("status").equals("skipped")) {
                        skipped++;
                    } else {
                        starts.add(rows.getTimestamp("started_at").toInstant());
                    }
                }
            }
            Instant previous = null;
            for (Instant started : starts) {
                refreshes++;
                String between = "SELECT count(*) FROM " + s + ".lag_source_" + i + " WHERE written_at < '" + started
                        + "'" + (previous == null ? "" : " AND written_at >= '" + previous + "'");
                if (context.queryLong(between) == 0) {
                    needless++;
                }
                if (previous != null && Duration.between(previous, started).toMillis() < target / 4) {
                    tooClose++;
                }
                previous = started;
            }
        }
        int burstCount = bursts.values().stream().mapToInt(Integer::intValue).sum();
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.counted(number(), "target-lag refreshes per write burst", "refreshes", refreshes,
                "write bursts (per view)", burstCount, VIEWS)
                .withNote("a burst may span more than one spacing, and two bursts may share one refresh; " + skipped
                        + " planned refreshes found nothing changed and skipped"));
        figures.add(Figure.value(number(), "refreshes with nothing new (duplicates across instances included)",
                "refreshes", needless, refreshes).withTarget(Target.valueAtMost(0)));
        figures.add(Figure.value(number(), "refreshes of a view closer than its minimum spacing", "refreshes",
                tooClose, refreshes).withTarget(Target.valueAtMost(0)));
        return figures;
    }

    /** {@value #IDLE_VIEWS} tracked views with targets, nothing written: statements per instance per second. */
    private Figure idle(BenchmarkContext context, AybMatviews admin) throws Exception {
        String s = BenchmarkContext.SCHEMA;
        context.progress("registering " + IDLE_VIEWS + " tracked views with a target for the idle count");
        int tables = IDLE_VIEWS / 10;
        for (int t = 0; t < tables; t++) {
            context.execute("DROP TABLE IF EXISTS " + s + ".idle_source_" + t + " CASCADE",
                    "CREATE TABLE " + s + ".idle_source_" + t + " (id bigserial PRIMARY KEY, v int NOT NULL)");
        }
        StringBuilder views = new StringBuilder();
        for (int v = 0; v < IDLE_VIEWS; v++) {
            views.append("CREATE MATERIALIZED VIEW ").append(s).append(".idle_view_").append(v)
                    .append(" AS SELECT count(*) AS n FROM ").append(s).append(".idle_source_").append(v % tables)
                    .append(";");
        }
        context.execute(views.toString());
        for (int v = 0; v < IDLE_VIEWS; v++) {
            admin.registry().register(QualifiedName.of(s, "idle_view_" + v), RefreshMode.STANDARD,
                    RefreshTimeouts.NONE, true, Duration.ofSeconds(2 + v % 9));
            admin.refreshes().refresh(s + ".idle_view_" + v);
        }
        List<RecordingDataSource> counters = new ArrayList<>();
        List<JobRunner> runners = startRunners(context, counters, "idle", JobOptions.DEFAULT_IDLE_POLL);
        Thread.sleep(JobOptions.DEFAULT_IDLE_POLL.toMillis() * 2);
        long[] before = new long[INSTANCES];
        for (int i = 0; i < INSTANCES; i++) {
            before[i] = counters.get(i).executions();
        }
        long planned = context.queryLong("SELECT count(*) FROM ayb.jobs WHERE type = 'materialized_view_target_lag'");
        long start = System.nanoTime();
        Thread.sleep(IDLE_WINDOW.toMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        double worst = 0;
        List<String> each = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            double rate = (counters.get(i).executions() - before[i]) / seconds;
            worst = Math.max(worst, rate);
            each.add(String.format(Locale.ROOT, "%.2f", rate));
        }
        long plannedAfter = context.queryLong("SELECT count(*) FROM ayb.jobs WHERE type ="
                + " 'materialized_view_target_lag'");
        runners.forEach(JobRunner::close);
        return Figure.value(number(), "idle queries per instance, " + IDLE_VIEWS + " views with a target", "queries/s",
                worst, INSTANCES).withTarget(Target.valueAtMost(1))
                .withNote("statements/s of each instance over " + Format.number(seconds) + " s: " + String.join(", ",
                        each) + " (one statement per 2 s poll: the planner's query, which also answers the"
                        + " queue's next work and reads the database clock); "
                        + (plannedAfter - planned) + " refreshes planned meanwhile");
    }
}
