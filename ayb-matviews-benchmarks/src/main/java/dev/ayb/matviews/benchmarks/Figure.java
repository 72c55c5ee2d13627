package dev.ayb.matviews.benchmarks;

import java.util.Objects;

/**
 * One line of the result table and one object of {@code benchmarks.json}: a measured quantity, the baseline
 * measured in the same run, their ratio, and the target for it.
 *
 * <p>The nullable components are absent parts of the figure, written as JSON {@code null}: a figure with
 * no baseline (a count, such as duplicates), a single value with no spread (p99), or no target (reported
 * for information).
 *
 * @param benchmark          the benchmark's number in the issue (1 to 6)
 * @param median             the measured median, in {@code unit}
 * @param p99                its 99th percentile, or null when the figure is one value
 * @param baseline           what the baseline is, e.g. {@code raw JDBC REFRESH}, or null
 * @param ratio              for figures timed in interleaved pairs, the median of the per-pair ratios (measured over
 *                           baseline), which drift between pairs does not move; otherwise the ratio of the medians
 *                           (throughput: measured over baseline, more is better); null without a baseline
 * @param ratioOfMedians     median over baseline median, whatever {@code ratio} is; null without a baseline
 * @param iterations         samples behind the median (requests, refreshes, schedules)
 * @param baselineIterations samples behind the baseline median, 0 without a baseline
 */
record Figure(int benchmark, String name, String unit, double median, Double p99, String baseline,
              Double baselineMedian, Double baselineP99, Double ratio, Double ratioOfMedians, String target,
              Boolean met, int iterations, int baselineIterations, String note) {

    Figure {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
    }

    /** A figure with a spread and no baseline. */
    static Figure of(int benchmark, String name, String unit, Samples measured) {
        return new Figure(benchmark, name, unit, measured.median(), measured.p99(), null, null, null, null, null,
                null, null, measured.count(), 0, null);
    }

    /** One value (a count, a rate over the whole run). */
    static Figure value(int benchmark, String name, String unit, double value, int iterations) {
        return new Figure(benchmark, name, unit, value, null, null, null, null, null, null, null, null, iterations, 0,
                null);
    }

    /** A figure and its baseline measured apart (in windows), with the ratio of their medians. */
    static Figure compared(int benchmark, String name, String unit, Samples measured, String baseline,
                           Samples baselineSamples) {
        double ratio = measured.median() / baselineSamples.median();
        return new Figure(benchmark, name, unit, measured.median(), measured.p99(), baseline,
                baselineSamples.median(), baselineSamples.p99(), ratio, ratio, null, null, measured.count(),
                baselineSamples.count(), null);
    }

    /** A figure and its baseline timed in interleaved pairs, with the median of the per-pair ratios. */
    static Figure paired(int benchmark, String name, String unit, Timing.Comparison comparison, String baseline) {
        Samples measured = comparison.measured();
        Samples baselineSamples = comparison.baseline();
        return new Figure(benchmark, name, unit, measured.median(), measured.p99(), baseline,
                baselineSamples.median(), baselineSamples.p99(), comparison.pairRatios().median(),
                measured.median() / baselineSamples.median(), null, null, measured.count(), baselineSamples.count(),
                null);
    }

    /** Counts (statements, runs) against a baseline count; one value each, no spread. */
    static Figure counted(int benchmark, String name, String unit, double value, String baseline,
                          double baselineValue, int iterations) {
        double ratio = value / baselineValue;
        return new Figure(benchmark, name, unit, value, null, baseline, baselineValue, null, ratio, ratio, null, null,
                iterations, iterations, null);
    }

    /** Throughput (more is better) of windows of load against the baseline's windows. */
    static Figure throughput(int benchmark, String name, Samples rates, int requests, String baseline,
                             Samples baselineRates, int baselineRequests) {
        double ratio = rates.median() / baselineRates.median();
        return new Figure(benchmark, name, "req/s", rates.median(), null, baseline, baselineRates.median(), null,
                ratio, ratio, null, null, requests, baselineRequests, null);
    }

    Figure withTarget(Target goal) {
        Figure described = new Figure(benchmark, name, unit, median, p99, baseline, baselineMedian, baselineP99, ratio,
                ratioOfMedians, goal.describe(), null, iterations, baselineIterations, note);
        return new Figure(benchmark, name, unit, median, p99, baseline, baselineMedian, baselineP99, ratio,
                ratioOfMedians, goal.describe(), goal.isMetBy(described), iterations, baselineIterations, note);
    }

    Figure withNote(String text) {
        return new Figure(benchmark, name, unit, median, p99, baseline, baselineMedian, baselineP99, ratio,
                ratioOfMedians, target, met, iterations, baselineIterations, text);
    }
}
