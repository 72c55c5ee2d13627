package dev.ayb.matviews.benchmarks;

/** Timing loops shared by the benchmarks. */
final class Timing {
    /** An operation to time; any exception it throws aborts the benchmark. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    /**
     * A measured operation and its baseline, timed in interleaved pairs.
     *
     * @param pairRatios each pair's measured/baseline: drift slower than a pair (another process, a checkpoint,
     *                   the JIT) lands on both of its halves and cancels out of the ratio
     */
    record Comparison(Samples measured, Samples baseline, Samples pairRatios) {

        /** The times in microseconds, for operations too short to read in milliseconds; the ratios as they are. */
        Comparison inMicros() {
            return new Comparison(measured.scaled(1000), baseline.scaled(1000), pairRatios);
        }
    }

    private Timing() {
    }

    /**
     * Runs {@code measured} and {@code baseline} alternately, {@code pairs} times each, swapping which goes
     * first at every pair (A B, B A, A B...), so that neither always runs on the other's leftovers.
     */
    static Comparison compare(int pairs, Operation measured, Operation baseline) throws Exception {
        Comparison comparison = new Comparison(new Samples(), new Samples(), new Samples());
        for (int i = 0; i < pairs; i++) {
            double a;
            double b;
            if (i % 2 == 0) {
                a = time(measured, comparison.measured());
                b = time(baseline, comparison.baseline());
            } else {
                b = time(baseline, comparison.baseline());
                a = time(measured, comparison.measured());
            }
            comparison.pairRatios().add(a / b);
        }
        return comparison;
    }

    /** Warm-up: the same alternation, results thrown away. */
    static void warmUp(int pairs, Operation measured, Operation baseline) throws Exception {
        compare(pairs, measured, baseline);
    }

    /** Times one run into {@code samples}; returns the milliseconds. */
    static double time(Operation operation, Samples samples) throws Exception {
        long start = System.nanoTime();
        operation.run();
        double millis = (System.nanoTime() - start) / 1e6;
        samples.add(millis);
        return millis;
    }
}
