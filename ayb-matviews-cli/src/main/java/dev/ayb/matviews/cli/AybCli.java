package dev.ayb.matviews.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/**
 * The {@code ayb} command-line tool. The whole command tree is assembled here, in one place, so this
 * class is also its table of contents.
 *
 * <p>{@link #main} is the only method that ends the JVM; {@link #run} returns the exit status instead,
 * so the tool can be run in-process (by tests, or by a host's own admin tooling).
 */
public final class AybCli {
    private AybCli() {
    }

    public static void main(String[] args) {
        // Colours only when both ends are a terminal (picocli's AUTO); never in pipes or files.
        System.exit(run(args, System.out, System.err, System.getenv(), Help.Ansi.AUTO, Terminal.SYSTEM));
    }

    /**
     * Runs one command without colours, progress or screen refreshes (as in a script) and returns its exit status
     * (see {@code ayb --help}).
     *
     * @param environment the variables {@code AYB_DATABASE_URL} and the others are read from
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment) {
        return run(args, out, err, environment, Help.Ansi.OFF, Terminal.NONE);
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> environment, Help.Ansi ansi,
                   Terminal terminal) {
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        try {
            SettingsDefaults defaults;
            try {
                defaults = SettingsDefaults.load(List.of(args), environment);
            } catch (CliFailure e) {
                // Before picocli runs, so reported here in the same form as any other usage error.
                errWriter.println(ansi.string("@|bold,red Error:|@") + " " + e.getMessage());
                return e.exitCode();
            }
            return commandLine(environment, ansi, terminal).setDefaultValueProvider(defaults)
                    .setOut(outWriter).setErr(errWriter).execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    static CommandLine commandLine(Map<String, String> environment, Help.Ansi ansi, Terminal terminal) {
        GlobalOptions options = new GlobalOptions();
        CliContext context = new CliContext(options, environment, terminal);
        CommandLine root = new CommandLine(new RootCommand(options))
                .addSubcommand(new CommandLine(new MatviewsCommand())
                        .addSubcommand(new MatviewsListCommand(context))
                        .addSubcommand(new MatviewsRegisterCommand(context))
                        .addSubcommand(new MatviewsRefreshCommand(context))
                        .addSubcommand(new MatviewsUpdateCommand(context))
                        .addSubcommand(new MatviewsUnregisterCommand(context))
                        .addSubcommand(new MatviewsDiscoverCommand(context))
                        .addSubcommand(new MatviewsHistoryCommand(context))
                        .addSubcommand(new MatviewsSourcesCommand(context))
                        .addSubcommand(new MatviewsStatusCommand(context))
                        .addSubcommand(new MatviewsShowCommand(context))
                        .addSubcommand(new MatviewsDependenciesCommand(context)))
                .addSubcommand(new CommandLine(new SchedulesCommand())
                        .addSubcommand(new SchedulesListCommand(context))
                        .addSubcommand(new SchedulesCreateCommand(context))
                        .addSubcommand(new SchedulesUpdateCommand(context))
                        .addSubcommand(new SchedulesDeleteCommand(context))
                        .addSubcommand(new SchedulesEnableCommand(context))
                        .addSubcommand(new SchedulesDisableCommand(context))
                        .addSubcommand(new SchedulesRunCommand(context))
                        .addSubcommand(new SchedulesShowCommand(context))
                        .addSubcommand(new SchedulesPreviewCommand(context)))
                .addSubcommand(new CommandLine(new JobsCommand())
                        .addSubcommand(new JobsListCommand(context))
                        .addSubcommand(new JobsShowCommand(context))
                        .addSubcommand(new JobsRetryCommand(context))
                        .addSubcommand(new JobsCancelCommand(context)))
                .addSubcommand(new EventsCommand(context))
                .addSubcommand(new MigrateCommand(context))
                .addSubcommand(new CommandLine(new SchemaGroupCommand())
                        .addSubcommand(new SchemaStatusCommand(context)))
                // "source <(ayb generate-completion)" gives bash and zsh completion of commands and options.
                .addSubcommand(new AutoComplete.GenerateCompletion());
        documentExitCodes(root);
        ErrorReporter reporter = new ErrorReporter(context, ansi);
        // Set last: these settings reach only the subcommands already added.
        return root.setExecutionExceptionHandler(reporter)
                .setParameterExceptionHandler(reporter)
                .setColorScheme(Help.defaultColorScheme(ansi));
    }

    /**
     * Exit codes on the root and on every command that does something, since that is where a script
     * writer looks. Options in the order declared: the command's own first, the global ones after.
     */
    private static void documentExitCodes(CommandLine command) {
        command.getCommandSpec().usageMessage().sortOptions(false);
        if (command.getParent() == null || command.getSubcommands().isEmpty()) {
            command.getCommandSpec().usageMessage()
                    .exitCodeListHeading("%nExit codes:%n")
                    .exitCodeList(ExitCode.helpList());
        }
        command.getSubcommands().values().forEach(AybCli::documentExitCodes);
    }
}
