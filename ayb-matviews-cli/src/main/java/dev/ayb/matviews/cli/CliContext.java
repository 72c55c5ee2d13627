package dev.ayb.matviews.cli;

import java.util.Map;
import java.util.Objects;

/**
 * What the commands of one run share: the global options as parsed, the environment they fall back on, and the
 * terminal (or not) they run on. The environment is passed in rather than read from {@link System#getenv()}, so
 * tests can run the tool in-process with any environment.
 */
final class CliContext {
    /** {@code AYB_MIGRATE=false} is {@code --no-migrate} for every command of a shell or a container. */
    static final String MIGRATE_VARIABLE = "AYB_MIGRATE";

    private final GlobalOptions options;
    private final Map<String, String> environment;
    private final Terminal terminal;

    CliContext(GlobalOptions options, Map<String, String> environment, Terminal terminal) {
        this.options = Objects.requireNonNull(options, "options");
        this.environment = Map.copyOf(environment);
        this.terminal = Objects.requireNonNull(terminal, "terminal");
    }

    Database openDatabase() {
        return Database.open(ConnectionSettings.resolve(options, environment));
    }

    /** Whether the library may bring its schema up to date before the command runs. */
    boolean migrate() {
        return !options.noMigrate && !"false".equalsIgnoreCase(environment.getOrDefault(MIGRATE_VARIABLE, "").trim());
    }

    Terminal terminal() {
        return terminal;
    }

    boolean verbose() {
        return options.verbose;
    }
}
