package dev.ayb.matviews.cli;

import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command on the library's schema itself: it connects, but does not build the library first, since building it
 * migrates (or, with {@code --no-migrate}, refuses a schema that lacks migrations).
 */
abstract class SchemaCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    SchemaCommand(CliContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public final Integer call() {
        checkArguments();
        try (Database database = context.openDatabase()) {
            return run(database, Output.of(spec, context.terminal()));
        }
    }

    void checkArguments() {
    }

    CliContext context() {
        return context;
    }

    /** @return the exit status */
    abstract int run(Database database, Output output);
}
