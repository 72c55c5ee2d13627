package dev.ayb.matviews.benchmarks;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobResult;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * 4. Three application instances (three pools, three job runners) and 1,000 schedules due in the same
 * second: how late each fires after its tick, whether any tick runs twice or not at all, and how many
 * queries an idle instance sends per second. The job is a no-op of the benchmark's own type, so what
 * is measured is the scheduler, not the work.
 */
final class SchedulerBenchmark implements Benchmark {
    static final int SCHEDULES = 1000;
    static final int INSTANCES = 3;
    static final int CONCURRENCY = 8;
    private static final String JOB_TYPE = "bench_noop";
    private static final Duration SETUP_ALLOWANCE = Duration.ofSeconds(12);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(10);
    private static final Duration FIRE_DEADLINE = Duration.ofSeconds(30);

    /** One handler start: which schedule, for which tick, when, on which instance. */
    record Fire(UUID jobId, UUID scheduleId, Instant tick, Instant started, String worker) {
    }

    /** Records each run and returns at once. */
    static final class RecordingHandler implements JobHandler {
        private final String worker;
        private final Clock clock;
        private final Queue<Fire> fires;

        RecordingHandler(String worker, Clock clock, Queue<Fire> fires) {
            this.worker = worker;
            this.clock = clock;
            this.fires = fires;
        }

        @Override
        public String jobType() {
            return JOB_TYPE;
        }

        @Override
        public JobResult handle(Job job) {
            fires.add(new Fire(job.id(), job.scheduleId(), job.runAt(), clock.instant(), worker));
            return JobResult.done();
        }
    }

    @Override
    public int number() {
        return 4;
    }

    @Override
    public String title() {
        return "Scheduler: " + Format.number(SCHEDULES) + " schedules due in the same second, " + INSTANCES
                + " instances";
    }

    @Override
    public List<Figure> run(BenchmarkContext context) throws Exception {
        Clock clock = Clock.systemUTC();
        Queue<Fire> fires = new ConcurrentLinkedQueue<>();
        AybMatviews library = AybMatviews.builder().dataSource(context.pool("bench-scheduler-admin", 4)).build();
        AybJobs admin = AybJobs.builder(library).jobHandler(new RecordingHandler("admin", clock, fires)).build();
        context.execute("DELETE FROM " + library.schema() + ".jobs WHERE type = '" + JOB_TYPE + "'",
                "DELETE FROM " + library.schema() + ".job_schedules WHERE job_type = '" + JOB_TYPE + "'");

        Instant tick = clock.instant().plus(SETUP_ALLOWANCE).truncatedTo(ChronoUnit.SECONDS);
        ZonedDateTime at = tick.atZone(ZoneOffset.UTC);
        String cron = String.format(Locale.ROOT, "%d %d %d * * *", at.getSecond(), at.getMinute(), at.getHour());
        context.progress("creating " + SCHEDULES + " schedules '" + cron + "' (UTC), all due at " + tick);
        for (int i = 0; i < SCHEDULES; i++) {
            admin.schedules().create(ScheduleSpec.of(String.format(Locale.ROOT, "bench-%04d", i), JOB_TYPE, cron));
        }

        List<RecordingDataSource> counters = new ArrayList<>();
        List<JobRunner> runners = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            String worker = "instance-" + i;
            RecordingDataSource counter = context.counter();
            AybJobs instance = AybJobs.builder(AybMatviews.builder()
                    .dataSource(context.pool("bench-" + worker, CONCURRENCY + 2, counter)).build())
                    .jobsEnabled(true)
                    .jobOptions(JobOptions.defaults().withWorkerId(worker).withConcurrency(CONCURRENCY)
                            .withShutdownGrace(Duration.ofSeconds(2)))
                    .jobHandler(new RecordingHandler(worker, clock, fires))
                    .build();
            counters.add(counter);
            runners.add(context.closeAtEnd(instance.jobRunner()));
        }
        runners.forEach(JobRunner::start);
        Duration margin = Duration.between(clock.instant(), tick);
        if (margin.toMillis() < 1000) {
            throw new IllegalStateException("setup took too long: the runners started " + margin.toMillis()
                    + " ms before the tick; raise SETUP_ALLOWANCE");
        }
        context.progress("runners started " + margin.toMillis() + " ms before the tick; waiting for the fires");

        Instant deadline = tick.plus(FIRE_DEADLINE);
        while (fires.size() < SCHEDULES && clock.instant().isBefore(deadline)) {
            Thread.sleep(50);
        }
        // A duplicate would come after the first run of its tick; give it time to show up.
        Thread.sleep(1000);
        List<Fire> seen = List.copyOf(fires);
        Samples delays = new Samples();
        Map<UUID, Integer> perSchedule = new HashMap<>();
        Map<String, Integer> perWorker = new HashMap<>();
        Instant lastStart = tick;
        for (Fire fire : seen) {
            if (!fire.tick().equals(tick)) {
                throw new IllegalStateException("a job for another tick ran: " + fire);
            }
            delays.add(Duration.between(tick, fire.started()).toNanos() / 1e6);
            perSchedule.merge(fire.scheduleId(), 1, Integer::sum);
            perWorker.merge(fire.worker(), 1, Integer::sum);
            lastStart = fire.started().isAfter(lastStart) ? fire.started() : lastStart;
        }
        int duplicates = perSchedule.values().stream().mapToInt(n -> n - 1).sum();
        Set<UUID> created = new HashSet<>();
        admin.schedules().list().stream().filter(s -> s.jobType().equals(JOB_TYPE)).forEach(s -> created.add(s.id()));
        created.removeAll(perSchedule.keySet());
        int misses = created.size();

        // A job's created_at is the clock of the poll that enqueued it: when the instances woke for the tick.
        String woke = context.queryString("SELECT round(extract(epoch FROM min(created_at) - timestamptz '" + tick
                + "') * 1000) || ' and ' || round(extract(epoch FROM max(created_at) - timestamptz '" + tick
                + "') * 1000) FROM " + library.schema() + ".jobs WHERE type = '" + JOB_TYPE + "'");

        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(number(), "fire delay after the due second", "ms", delays)
                .withTarget(Target.p99AtMost(2000, "ms"))
                .withNote("the enqueueing polls began " + woke + " ms after the tick; runs per instance "
                        + new java.util.TreeMap<>(perWorker) + "; first handler started "
                        + Format.number(delays.percentile(0)) + " ms and last "
                        + Duration.between(tick, lastStart).toMillis() + " ms after the tick"));
        figures.add(Figure.value(number(), "duplicate runs of a tick", "runs", duplicates, seen.size())
                .withTarget(Target.valueAtMost(0)));
        figures.add(Figure.value(number(), "missed ticks", "schedules", misses, SCHEDULES)
                .withTarget(Target.valueAtMost(0)));

        context.progress("idle, every schedule's next run tomorrow: counting statements for "
                + IDLE_WINDOW.toSeconds() + " s");
        figures.add(idle(counters, "idle queries per instance, next run tomorrow"));

        context.execute("UPDATE " + library.schema() + ".job_schedules SET enabled = false, next_run_at = NULL"
                + " WHERE job_type = '" + JOB_TYPE + "'");
        // Let each runner notice that there is no work at all before counting again.
        Thread.sleep(JobOptions.DEFAULT_IDLE_POLL.toMillis() + 500);
        context.progress("idle, every schedule disabled: counting statements for " + IDLE_WINDOW.toSeconds() + " s");
        figures.add(idle(counters, "idle queries per instance, all disabled"));
        return figures;
    }

    /**
     * Statements per second each instance sent over the idle window; the figure is the busiest instance. The
     * other round trips (commits, and the pool's validation of a connection idle for more than 500 ms before
     * lending it) are reported beside it: they cost the server next to nothing, but they are round trips.
     */
    private Figure idle(List<RecordingDataSource> counters, String name) throws InterruptedException {
        long[] statementsBefore = new long[counters.size()];
        long[] othersBefore = new long[counters.size()];
        for (int i = 0; i < counters.size(); i++) {
            statementsBefore[i] = counters.get(i).executions();
            othersBefore[i] = counters.get(i).otherRoundTrips();
        }
        long start = System.nanoTime();
        Thread.sleep(IDLE_WINDOW.toMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        double worst = 0;
        List<String> each = new ArrayList<>();
        for (int i = 0; i < counters.size(); i++) {
            long statements = counters.get(i).executions() - statementsBefore[i];
            long others = counters.get(i).otherRoundTrips() - othersBefore[i];
            worst = Math.max(worst, statements / seconds);
            each.add(String.format(Locale.ROOT, "%.2f statements/s + %.2f commits/validations/s",
                    statements / seconds, others / seconds));
        }
        return Figure.value(number(), name, "queries/s", worst, counters.size())
                .withTarget(Target.valueAtMost(1))
                .withNote("busiest of " + counters.size() + " instances over " + Format.number(seconds) + " s; each: "
                        + String.join("; ", each));
    }
}
