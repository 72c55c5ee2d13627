package dev.ayb.matviews.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command writes: its result to stdout (text, a table or one JSON document), anything meant for
 * the operator's eyes only to stderr, so that {@code ayb ... --json | jq} always receives clean data.
 * Progress of a long operation goes to stderr too, and only on a terminal: scripts see none of it.
 */
final class Output {
    /** Back to the start of the line and erase it: a progress line is rewritten in place. */
    private static final String CLEAR_LINE = "\r\u001b[K";
    /** Cursor home and erase the screen, for each screen of {@code --watch}. */
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Terminal terminal;
    private boolean progressShown;

    Output(PrintWriter out, PrintWriter err, Terminal terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    static Output of(CommandSpec spec, Terminal terminal) {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), terminal);
    }

    void line(String text) {
        endProgress();
        out.println(text);
    }

    void table(TextTable table) {
        endProgress();
        out.print(table.render());
    }

    void json(JsonNode document) {
        endProgress();
        out.println(CliJson.write(document));
    }

    void warning(String text) {
        endProgress();
        err.println("Warning: " + text);
    }

    /** One line of progress, replacing the previous one; nothing at all unless a person is watching. */
    void progress(String text) {
        if (!terminal.interactive()) {
            return;
        }
        err.print(CLEAR_LINE + text);
        err.flush();
        progressShown = true;
    }

    /** Erases the progress line, if any, so the result starts on a clean line. */
    void endProgress() {
        if (progressShown) {
            err.print(CLEAR_LINE);
            err.flush();
            progressShown = false;
        }
    }

    /** Starts a new screen of {@code --watch}; on a terminal only. */
    void clearScreen() {
        if (terminal.interactive()) {
            out.print(CLEAR_SCREEN);
        }
    }

    Terminal terminal() {
        return terminal;
    }
}
