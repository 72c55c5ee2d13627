package dev.ayb.matviews.benchmarks;

import java.util.Locale;

/** Numbers as the table prints them: three significant figures or so, never scientific notation. */
final class Format {
    private Format() {
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        double magnitude = Math.abs(value);
        if (value == Math.rint(value) && magnitude < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        String pattern = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    static String number(Double value) {
        return value == null ? "–" : number(value.doubleValue());
    }

    /** Ratios get three decimals, as a target such as 1.03 is about the third. */
    static String ratio(Double value) {
        return value == null ? "–" : String.format(Locale.ROOT, "%.3f", value);
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
