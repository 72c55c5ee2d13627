package dev.ayb.matviews.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load: a number of threads each sending the next request as soon as the previous one is
 * answered, for a fixed time. Yields the completed requests per second and every request's latency.
 */
final class LoadWindow {
    /** One request; {@code sequence} lets the caller spread requests over pages. */
    @FunctionalInterface
    interface Request {
        void send(int thread, long sequence) throws Exception;
    }

    /** What one window achieved. */
    record Result(double requestsPerSecond, Samples latencies) {
    }

    private LoadWindow() {
    }

    static Result run(int threads, long millis, Request request) throws InterruptedException {
        List<Samples> perThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + millis * 1_000_000;
        for (int t = 0; t < threads; t++) {
            Samples samples = new Samples();
            perThread.add(samples);
            int thread = t;
            Thread worker = new Thread(() -> {
                long sequence = thread;
                try {
                    while (System.nanoTime() < end && failure.get() == null) {
                        long sent = System.nanoTime();
                        request.send(thread, sequence);
                        samples.addNanosAsMillis(System.nanoTime() - sent);
                        sequence += threads;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-load-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw new IllegalStateException("a load thread failed", failure.get());
        }
        Samples all = new Samples();
        perThread.forEach(all::addAll);
        return new Result(all.count() / seconds, all);
    }
}
