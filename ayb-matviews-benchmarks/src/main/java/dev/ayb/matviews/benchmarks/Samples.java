package dev.ayb.matviews.benchmarks;

import java.util.Arrays;

/**
 * Measurements of one quantity, kept whole so that order statistics are exact: the median and the 99th
 * percentile by the nearest-rank method on the sorted samples (no interpolation, no histogram buckets).
 * Not thread-safe: each thread records into its own and they are merged afterwards.
 */
final class Samples {
    private double[] values = new double[256];
    private int count;
    private boolean sorted;

    void add(double value) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = value;
        sorted = false;
    }

    /** Adds a duration measured with {@link System#nanoTime()}, in milliseconds. */
    void addNanosAsMillis(long nanos) {
        add(nanos / 1_000_000.0);
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.count; i++) {
            add(other.values[i]);
        }
    }

    /** The same samples multiplied by {@code factor} (milliseconds to microseconds: 1,000). */
    Samples scaled(double factor) {
        Samples scaled = new Samples();
        for (int i = 0; i < count; i++) {
            scaled.add(values[i] * factor);
        }
        return scaled;
    }

    int count() {
        return count;
    }

    double median() {
        return percentile(50);
    }

    double p99() {
        return percentile(99);
    }

    double max() {
        return percentile(100);
    }

    /** Nearest rank: the smallest sample with at least {@code p}% of the samples at or below it. */
    double percentile(double p) {
        if (count == 0) {
            throw new IllegalStateException("no samples");
        }
        if (!sorted) {
            Arrays.sort(values, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * count);
        return values[Math.min(Math.max(rank, 1), count) - 1];
    }
}
