package dev.ayb.matviews.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns under an upper-case header, two spaces apart, no borders: easy to read and easy
 * to cut with {@code awk}. Cells are printed on one line whatever they contain, so a row is always a line.
 */
final class TextTable {
    private static final String GAP = "  ";

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>(cells.length);
        for (String cell : cells) {
            row.add(oneLine(cell));
        }
        rows.add(row);
        return this;
    }

    /** Header and rows, each line ending in a line separator and without trailing spaces. */
    String render() {
        int[] widths = new int[header.size()];
        for (List<String> line : allLines()) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : allLines()) {
            StringBuilder rendered = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                String cell = line.get(i);
                rendered.append(cell);
                if (i < widths.length - 1) {
                    rendered.append(" ".repeat(widths[i] - cell.length())).append(GAP);
                }
            }
            text.append(rendered.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }

    private List<List<String>> allLines() {
        List<List<String>> lines = new ArrayList<>(rows.size() + 1);
        lines.add(header);
        lines.addAll(rows);
        return lines;
    }

    private static String oneLine(String cell) {
        if (cell == null) {
            return "-";
        }
        StringBuilder clean = new StringBuilder(cell.length());
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            clean.append(Character.isISOControl(c) ? ' ' : c);
        }
        return clean.toString();
    }
}
