package dev.ayb.matviews.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * 5. Reads of a large view while it is being refreshed. A standard refresh holds ACCESS EXCLUSIVE for its
 * whole duration, so a read arriving then waits for the end; a concurrent one lets reads through.
 *
 * <p>Readers send point lookups at a fixed rate (open loop), and each read's latency is counted from when
 * it was due, not from when a blocked reader got round to sending it: otherwise a reader stuck behind the
 * lock would report one slow read instead of the hundreds it could not send. Windows without a refresh,
 * with a standard one and with a concurrent one alternate, a few rows changing between rounds so that the
 * concurrent refresh has a diff to apply. Then the readers move to a second view of the same rows that has no
 * unique index (a plain index on the looked-up column), which only standard and swap refreshes can refresh: a
 * standard refresh and a swap refresh of it alternate, and the swap's worst read (blocked by its switch only) and
 * its total time against the standard refresh's are the figures of the swap mode.
 */
final class AvailabilityBenchmark implements Benchmark {
    static final int ROWS = 500_000;
    private static final String VIEW = BenchmarkContext.SCHEMA + ".availability_view";
    /** The same rows without a unique index: concurrent refreshes cannot run on it, swaps can. */
    private static final String PLAIN_VIEW = BenchmarkContext.SCHEMA + ".availability_plain_view";
    private static final String SOURCE = BenchmarkContext.SCHEMA + ".availability_source";
    private static final int READERS = 2;
    private static final long READ_INTERVAL_NANOS = 5_000_000;
    private static final int ROUNDS = 3;
    private static final long QUIET_WINDOW_MILLIS = 2000;

    /** The target is the swap mode's: a read waits only for the switch's few statements. */
    private static final double SWAP_MAX_READ_TARGET_MS = 50;

    private enum Phase { QUIET, STANDARD, CONCURRENT, STANDARD_PLAIN, SWAP }

    /**
     * A read due at {@code dueNanos} ({@link System#nanoTime()}), how long after that it returned, and whether it
     * read {@link #PLAIN_VIEW}.
     */
    private record Read(long dueNanos, double latencyMs, boolean plain) {
    }

    /** A span of time measured in one phase. */
    private record Window(Phase phase, long startNanos, long endNanos) {
        boolean contains(Read read) {
            boolean plainPhase = phase == Phase.STANDARD_PLAIN || phase == Phase.SWAP;
            return read.plain() == plainPhase && read.dueNanos() >= startNanos && read.dueNanos() < endNanos;
        }
    }

    @Override
    public int number() {
        return 5;
    }

    @Override
    public String title() {
        return "Availability: read latency on a " + Format.number(ROWS) + "-row view during a refresh";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        context.progress("building the " + Format.number(ROWS) + "-row view");
        context.execute("CREATE SCHEMA IF NOT EXISTS " + BenchmarkContext.SCHEMA,
                "DROP MATERIALIZED VIEW IF EXISTS " + VIEW,
                "DROP TABLE IF EXISTS " + SOURCE,
                "CREATE TABLE " + SOURCE + " AS SELECT g AS id, g % 1000 AS grp, (g::bigint * 7919) % 100000 AS amount"
                        + " FROM generate_series(1, " + ROWS + ") g",
                "CREATE MATERIALIZED VIEW " + VIEW + " AS SELECT id, grp, amount FROM " + SOURCE,
                "CREATE UNIQUE INDEX ON " + VIEW + " (id)",
                "DROP MATERIALIZED VIEW IF EXISTS " + PLAIN_VIEW,
                "CREATE MATERIALIZED VIEW " + PLAIN_VIEW + " AS SELECT id, grp, amount FROM " + SOURCE,
                "CREATE INDEX ON " + PLAIN_VIEW + " (id)",
                "VACUUM ANALYZE " + SOURCE,
                "ANALYZE " + VIEW,
                "ANALYZE " + PLAIN_VIEW);
        HikariDataSource refreshPool = context.pool("bench-availability-refresh", 2);
        AybMatviews matviews = context.matviews(refreshPool);
        matviews.registry().register(QualifiedName.parse(VIEW), RefreshMode.STANDARD);
        matviews.registry().register(QualifiedName.parse(PLAIN_VIEW), RefreshMode.STANDARD);
        AtomicBoolean readPlain = new AtomicBoolean();
        HikariDataSource readPool = context.pool("bench-availability-read", READERS);

        AtomicBoolean stop = new AtomicBoolean();
        List<List<Read>> perReader = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        for (int r = 0; r < READERS; r++) {
            List<Read> reads = new ArrayList<>();
            perReader.add(reads);
            Thread reader = new Thread(() -> read(readPool, stop, readPlain, reads, readerFailure), "bench-reader-" + r);
            reader.setDaemon(true);
            readers.add(reader);
        }
        readers.forEach(Thread::start);
        Thread.sleep(1000); // warm-up reads, in no window

        List<Window> windows = new ArrayList<>();
        Samples standardRefresh = new Samples();
        Samples concurrentRefresh = new Samples();
        Samples standardPlainRefresh = new Samples();
        Samples swapRefresh = new Samples();
        for (int round = 0; round < ROUNDS; round++) {
            context.progress("round " + (round + 1) + " of " + ROUNDS
                    + ": no refresh, standard, concurrent; without a unique index: standard, swap");
            readPlain.set(false);
            long quietStart = System.nanoTime();
            Thread.sleep(QUIET_WINDOW_MILLIS);
            windows.add(new Window(Phase.QUIET, quietStart, System.nanoTime()));
            changeSomeRows(context, round);
            windows.add(refresh(matviews, RefreshMode.STANDARD, standardRefresh));
            changeSomeRows(context, round + ROUNDS);
            windows.add(refresh(matviews, RefreshMode.CONCURRENT, concurrentRefresh));
            readPlain.set(true);
            Thread.sleep(200); // reads due before the switch of target are done with the first view
            windows.add(refresh(matviews, PLAIN_VIEW, RefreshMode.STANDARD, Phase.STANDARD_PLAIN, standardPlainRefresh));
            windows.add(refresh(matviews, PLAIN_VIEW, RefreshMode.SWAP, Phase.SWAP, swapRefresh));
        }
        // Reads due during the last refresh may still be on their way.
        Thread.sleep(500);
        stop.set(true);
        for (Thread reader : readers) {
            reader.join(60_000);
        }
        if (readerFailure.get() != null) {
            throw new IllegalStateException("a reader failed", readerFailure.get());
        }
        Samples quiet = new Samples();
        Samples duringStandard = new Samples();
        Samples duringConcurrent = new Samples();
        Samples duringStandardPlain = new Samples();
        Samples duringSwap = new Samples();
        for (List<Read> reads : perReader) {
            for (Read read : reads) {
                for (Window window : windows) {
                    if (window.contains(read)) {
                        switch (window.phase()) {
                            case QUIET -> quiet.add(read.latencyMs());
                            case STANDARD -> duringStandard.add(read.latencyMs());
                            case CONCURRENT -> duringConcurrent.add(read.latencyMs());
                            case STANDARD_PLAIN -> duringStandardPlain.add(read.latencyMs());
                            case SWAP -> duringSwap.add(read.latencyMs());
                        }
                    }
                }
            }
        }
        String rate = READERS + " readers, one point lookup each every " + READ_INTERVAL_NANOS / 1_000_000
                + " ms, latency from when each read was due";
        return List.of(
                Figure.compared(number(), "read latency during a standard refresh", "ms", duringStandard,
                        "no refresh", quiet).withNote(String.format(Locale.ROOT,
                        "%s; standard refresh took %s ms median (%d refreshes)", rate,
                        Format.number(standardRefresh.median()), standardRefresh.count())),
                Figure.compared(number(), "read latency during a concurrent refresh", "ms", duringConcurrent,
                        "no refresh", quiet).withNote(String.format(Locale.ROOT,
                        "%s; concurrent refresh took %s ms median (%d refreshes)", rate,
                        Format.number(concurrentRefresh.median()), concurrentRefresh.count())),
                Figure.compared(number(), "read latency during a standard refresh, no unique index", "ms",
                        duringStandardPlain, "no refresh", quiet).withNote(String.format(Locale.ROOT,
                        "%s; slowest read %s ms; standard refresh took %s ms median (%d refreshes)", rate,
                        Format.number(duringStandardPlain.max()), Format.number(standardPlainRefresh.median()),
                        standardPlainRefresh.count())),
                Figure.compared(number(), "read latency during a swap refresh, no unique index", "ms",
                        duringSwap, "no refresh", quiet).withNote(String.format(Locale.ROOT,
                        "%s; slowest read %s ms (target ≤ %s ms: %s; slowest with no refresh %s ms); swap refresh"
                                + " took %s ms median (%d refreshes)",
                        rate, Format.number(duringSwap.max()), Format.number(SWAP_MAX_READ_TARGET_MS),
                        duringSwap.max() <= SWAP_MAX_READ_TARGET_MS ? "met" : "missed", Format.number(quiet.max()),
                        Format.number(swapRefresh.median()), swapRefresh.count())),
                Figure.compared(number(), "refresh time, no unique index, swap", "ms", swapRefresh,
                        "standard refresh", standardPlainRefresh).withNote("the swap builds a second copy and its"
                        + " index beside the live view, then switches; standard rewrites the view in place"));
    }

    private static Window refresh(AybMatviews matviews, RefreshMode mode, Samples durations) throws Exception {
        return refresh(matviews, VIEW, mode, mode == RefreshMode.STANDARD ? Phase.STANDARD : Phase.CONCURRENT,
                durations);
    }

    private static Window refresh(AybMatviews matviews, String view, RefreshMode mode, Phase phase, Samples durations)
            throws Exception {
        matviews.registry().updateMode(view, mode);
        long start = System.nanoTime();
        Timing.time(() -> matviews.refreshes().refresh(view), durations);
        return new Window(phase, start, System.nanoTime());
    }

    /** A different 1% of the rows each time, so that each concurrent refresh has a diff to write. */
    private static void changeSomeRows(BenchmarkContext context, int round) throws Exception {
        context.execute("UPDATE " + SOURCE + " SET amount = amount + 1 WHERE id % 100 = " + round);
    }

    /**
     * Open loop: read number {@code n} is due at {@code start + n·interval}; a reader that fell behind sends
     * the overdue reads back to back, each timed from its due time. A read belongs to the window it was due in.
     */
    private static void read(HikariDataSource pool, AtomicBoolean stop, AtomicBoolean readPlain,
                             List<Read> reads, AtomicReference<Throwable> failure) {
        try (Connection connection = pool.getConnection();
             PreparedStatement lookupView = connection.prepareStatement("SELECT amount FROM " + VIEW + " WHERE id = ?");
             PreparedStatement lookupPlain = connection.prepareStatement("SELECT amount FROM " + PLAIN_VIEW
                     + " WHERE id = ? LIMIT 1")) {
            long due = System.nanoTime();
            while (!stop.get()) {
                long now = System.nanoTime();
                if (now < due) {
                    Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                }
                boolean plain = readPlain.get();
                PreparedStatement lookup = plain ? lookupPlain : lookupView;
                lookup.setInt(1, 1 + ThreadLocalRandom.current().nextInt(ROWS));
                try (ResultSet row = lookup.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalStateException("row missing from " + (plain ? PLAIN_VIEW : VIEW));
                    }
                }
                reads.add(new Read(due, (System.nanoTime() - due) / 1e6, plain));
                due += READ_INTERVAL_NANOS;
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }
}
