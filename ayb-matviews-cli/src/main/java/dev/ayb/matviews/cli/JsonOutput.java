package dev.ayb.matviews.cli;

import picocli.CommandLine.Option;

/** {@code --json}, the same on every command that prints something. */
final class JsonOutput {
    @Option(names = "--json", order = 50,
            description = "Print JSON with the admin HTTP API's field names instead of text.")
    boolean requested;
}
