package dev.ayb.matviews.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * Where a command writes: its result to stdout (text, a table or one JSON document), anything meant for
 * the operator's eyes only to stderr, so that {@code ayb ... --json | jq} always receives clean data.
 */
final class Output {
    private final PrintWriter out;
    private final PrintWriter err;

    Output(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    void line(String text) {
        out.println(text);
    }

    void table(TextTable table) {
        out.print(table.render());
    }

    void json(JsonNode document) {
        out.println(CliJson.write(document));
    }

    void warning(String text) {
        err.println("Warning: " + text);
    }
}
