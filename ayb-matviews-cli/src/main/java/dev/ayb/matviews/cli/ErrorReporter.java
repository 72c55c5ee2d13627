package dev.ayb.matviews.cli;

import dev.ayb.matviews.MatviewException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr, {@code Error: <message>}, and an exit status. The message
 * is the library's own, word for word, so operators read the same text the HTTP API returns; when the
 * library knows what to do about it, a {@code Hint: <hint>} line follows. A stack
 * trace is printed only with {@code --verbose}: operators need the reason, not the call path.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final CliContext context;
    private final Help.Ansi ansi;

    ErrorReporter(CliContext context, Help.Ansi ansi) {
        this.context = context;
        this.ansi = ansi;
    }

    /** A command threw. */
    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        int exitCode = ExitCode.of(failure);
        printError(err, messageOf(failure));
        if (failure instanceof MatviewException matview) {
            matview.hint().ifPresent(hint -> err.println("Hint: " + hint));
        }
        if (exitCode == ExitCode.USAGE) {
            printHelpHint(err, command);
        }
        if (context.verbose()) {
            failure.printStackTrace(err);
        } else if (isUnexpected(failure)) {
            err.println("Run again with --verbose to see the stack trace.");
        }
        err.flush();
        return exitCode;
    }

    /** The command line could not be parsed, or a value failed to convert. */
    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        printError(err, parseMessage(failure));
        UnmatchedArgumentException.printSuggestions(failure, err);
        ParseResult parsed = command.getParseResult();
        if (!command.getSubcommands().isEmpty() && (parsed == null || parsed.subcommand() == null)) {
            // "ayb" or "ayb matviews" alone: the list of commands is the most useful answer.
            command.usage(err, ansi);
        } else {
            printHelpHint(err, command);
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private void printError(PrintWriter err, String message) {
        // Only the fixed prefix goes through picocli's markup; the message is printed as is.
        err.println(ansi.string("@|bold,red Error:|@") + " " + message);
    }

    /** picocli's message, except "Unmatched argument at index 1: 'lsit'" for a mistyped command. */
    private static String parseMessage(ParameterException failure) {
        if (failure instanceof UnmatchedArgumentException unmatched && !unmatched.isUnknownOption()
                && !failure.getCommandLine().getSubcommands().isEmpty() && !unmatched.getUnmatched().isEmpty()) {
            return "unknown command '" + unmatched.getUnmatched().get(0) + "' for '"
                    + failure.getCommandLine().getCommandSpec().qualifiedName() + "'";
        }
        return failure.getMessage();
    }

    private static void printHelpHint(PrintWriter err, CommandLine command) {
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    }

    private static String messageOf(Throwable failure) {
        if (failure instanceof MatviewException || failure instanceof CliFailure) {
            return failure.getMessage();
        }
        return "unexpected failure: " + failure;
    }

    private static boolean isUnexpected(Throwable failure) {
        return !(failure instanceof MatviewException) && !(failure instanceof CliFailure);
    }
}
