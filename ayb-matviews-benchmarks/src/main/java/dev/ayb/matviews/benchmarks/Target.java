package dev.ayb.matviews.benchmarks;

/**
 * A figure's goal from the issue, and whether a measured figure meets it. Each kind reads the part of the
 * figure the goal is about (the ratio, the extra time at the median, the p99, the value itself).
 */
interface Target {

    /** How the goal reads in the table, e.g. {@code ratio ≤ 1.03}. */
    String describe();

    boolean isMetBy(Figure figure);

    /** Library median over baseline median (lower is better). */
    static Target ratioAtMost(double limit) {
        return simple("ratio ≤ " + Format.number(limit), figure -> figure.ratio() != null && figure.ratio() <= limit);
    }

    /** Library over baseline where more is better (throughput). */
    static Target ratioAtLeast(double limit) {
        return simple("ratio ≥ " + Format.number(limit), figure -> figure.ratio() != null && figure.ratio() >= limit);
    }

    /** Library median minus baseline median. */
    static Target extraMedianAtMost(double limit, String unit) {
        return simple("≤ +" + Format.number(limit) + " " + unit + " at median",
                figure -> figure.baselineMedian() != null && figure.median() - figure.baselineMedian() <= limit);
    }

    static Target medianAtMost(double limit, String unit) {
        return simple("median ≤ " + Format.number(limit) + " " + unit, figure -> figure.median() <= limit);
    }

    static Target p99AtMost(double limit, String unit) {
        return simple("p99 ≤ " + Format.number(limit) + " " + unit, figure -> figure.p99() != null && figure.p99() <= limit);
    }

    /** For counts where the value is the figure (duplicates, misses, queries per second). */
    static Target valueAtMost(double limit) {
        return simple(limit == 0 ? "= 0" : "≤ " + Format.number(limit), figure -> figure.median() <= limit);
    }

    private static Target simple(String text, java.util.function.Predicate<Figure> test) {
        return new Target() {
            @Override
            public String describe() {
                return text;
            }

            @Override
            public boolean isMetBy(Figure figure) {
                return test.test(figure);
            }
        };
    }
}
