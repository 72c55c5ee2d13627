package dev.ayb.matviews.cli;

import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.jdbc.AybMatviews;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that works on the database: checks its arguments, connects, runs, disconnects. It reports
 * failures by throwing; {@link ErrorReporter} turns them into a message and an exit status, so no
 * command prints its own errors or picks its own status.
 */
abstract class DatabaseCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    DatabaseCommand(CliContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public final Integer call() {
        checkArguments();
        Output output = Output.of(spec, context.terminal());
        try (Database database = context.openDatabase()) {
            run(database.library(context.migrate(), refreshListener(output)), output);
        } finally {
            // A failure's "Error:" line must not be written over the end of a progress line.
            output.endProgress();
        }
        return exitCode();
    }

    /** Told of the refreshes this command runs, e.g. to show progress; none by default. */
    RefreshListener refreshListener(Output output) {
        return RefreshListener.NONE;
    }

    CliContext context() {
        return context;
    }

    /** The status of a run that did not throw: success, unless the command's answer is itself a verdict. */
    int exitCode() {
        return ExitCode.OK;
    }

    /** Rules between options that picocli cannot express; throw {@link CliFailure#usage} before connecting. */
    void checkArguments() {
    }

    abstract void run(AybMatviews matviews, Output output);
}
