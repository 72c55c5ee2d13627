package dev.ayb.matviews.cli;

import java.util.Map;
import java.util.Objects;

/**
 * What the commands of one run share: the global options as parsed, and the environment they fall back
 * on. The environment is passed in rather than read from {@link System#getenv()}, so tests can run the
 * tool in-process with any environment.
 */
final class CliContext {
    private final GlobalOptions options;
    private final Map<String, String> environment;

    CliContext(GlobalOptions options, Map<String, String> environment) {
        this.options = Objects.requireNonNull(options, "options");
        this.environment = Map.copyOf(environment);
    }

    Database openDatabase() {
        return Database.open(ConnectionSettings.resolve(options, environment));
    }

    boolean verbose() {
        return options.verbose;
    }
}
