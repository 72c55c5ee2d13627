package dev.ayb.matviews.cli;

/** What one in-process run of the tool produced. */
public record CliResult(int exitCode, String out, String err) {
    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
