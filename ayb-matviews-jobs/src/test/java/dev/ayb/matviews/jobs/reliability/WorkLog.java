package dev.ayb.matviews.jobs.reliability;

import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What job handlers did, as the handlers saw it: how many times each job's handler started and returned, on
 * which worker, and whether one worker ever ran a job twice at once. Compared afterwards with what the jobs
 * table says, it tells a job lost, a job run twice and a job run twice at once apart.
 */
final class WorkLog {
    static final String JOB_TYPE = "work";

    private final Map<UUID, AtomicInteger> started = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicInteger> returned = new ConcurrentHashMap<>();
    /** Per worker and job: a worker presumed dead may still be running a job another one re-runs. */
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Queue<String> overlaps = new ConcurrentLinkedQueue<>();
    private final Queue<String> runs = new ConcurrentLinkedQueue<>();

    /** A handler that works for {@code duration} (interruptibly, as a real one would wait on I/O). */
    JobHandler working(String worker, Duration duration) {
        return handler(worker, () -> Thread.sleep(duration.toMillis()));
    }

    /** A handler that works until the latch opens. */
    JobHandler blockedUntil(String worker, CountDownLatch release) {
        return handler(worker, () -> {
            if (!release.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
        });
    }

    private JobHandler handler(String worker, Work work) {
        return JobHandler.of(JOB_TYPE, job -> {
            UUID id = job.id();
            counter(started, id).incrementAndGet();
            runs.add(worker + " " + id + " attempt " + job.attempts());
            AtomicInteger running = inFlight.computeIfAbsent(worker + " " + id, key -> new AtomicInteger());
            if (running.incrementAndGet() > 1) {
                overlaps.add(id + " ran twice at once on " + worker);
            }
            try {
                work.run();
            } finally {
                running.decrementAndGet();
            }
            counter(returned, id).incrementAndGet();
            return JobResult.done("done by " + worker);
        });
    }

    int started(UUID id) {
        return counter(started, id).get();
    }

    int returned(UUID id) {
        return counter(returned, id).get();
    }

    int totalStarted() {
        return started.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    List<String> overlaps() {
        return List.copyOf(overlaps);
    }

    /** Every run, for a failure message. */
    List<String> runs() {
        return List.copyOf(runs);
    }

    private static AtomicInteger counter(Map<UUID, AtomicInteger> counters, UUID id) {
        return counters.computeIfAbsent(id, key -> new AtomicInteger());
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }
}
