package dev.ayb.matviews.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** The figures as a plain-text table for the console and as a Markdown table for the README. */
final class ResultTable {
    private static final List<String> HEADERS = List.of("#", "Figure", "Unit", "Median", "p99", "Baseline",
            "Base median", "Base p99", "Ratio", "Target", "Met", "n");

    /** What the columns mean; printed under every full table. */
    static final String LEGEND = "Median and p99 over n samples (throughput: the median of the load windows). Ratio:"
            + " measured over baseline, as the median of the per-pair ratios where the two were timed in interleaved"
            + " pairs, otherwise the ratio of the medians; for req/s, more is better.";

    private ResultTable() {
    }

    static String text(List<Figure> figures) {
        List<List<String>> rows = rows(figures);
        int[] widths = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                boolean left = i == 1 || i == 2 || i == 5 || i == 9;
                String padded = left ? cell + " ".repeat(widths[i] - cell.length())
                        : " ".repeat(widths[i] - cell.length()) + cell;
                out.append(i == 0 ? "" : "  ").append(padded);
            }
            out.append(System.lineSeparator());
            if (r == 0) {
                int total = 0;
                for (int width : widths) {
                    total += width + 2;
                }
                out.append("-".repeat(total - 2)).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    static String markdown(List<Figure> figures) {
        List<List<String>> rows = rows(figures);
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            out.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                out.append("|").append("---|".repeat(HEADERS.size())).append('\n');
            }
        }
        return out.toString();
    }

    private static List<List<String>> rows(List<Figure> figures) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Figure f : figures) {
            rows.add(List.of(String.valueOf(f.benchmark()), f.name(), f.unit(), Format.number(f.median()),
                    Format.number(f.p99()), f.baseline() == null ? "–" : f.baseline(), Format.number(f.baselineMedian()),
                    Format.number(f.baselineP99()), Format.ratio(f.ratio()), f.target() == null ? "(info)" : f.target(),
                    f.met() == null ? "" : f.met() ? "yes" : "NO", String.valueOf(f.iterations())));
        }
        return rows;
    }
}
