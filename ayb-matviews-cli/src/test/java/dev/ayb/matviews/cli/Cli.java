package dev.ayb.matviews.cli;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine.Help;

/**
 * Runs {@code ayb} in-process against a test class's database, the way an operator would with the
 * connection in the environment, and captures stdout, stderr and the exit status separately. Public so that the
 * reliability suite runs the tool the same way.
 */
public final class Cli {
    private final PostgresExtension pg;

    private Cli(PostgresExtension pg) {
        this.pg = pg;
    }

    public static Cli on(PostgresExtension pg) {
        return new Cli(pg);
    }

    /** Connection from {@code AYB_DATABASE_URL}, {@code AYB_DATABASE_USER} and {@code AYB_DATABASE_PASSWORD}. */
    public CliResult run(String... args) {
        return runWith(environment(), args);
    }

    /** Text split into words the way a POSIX shell would, e.g. a command line copied from the docs. */
    CliResult runLine(String commandLine) {
        return run(ShellWords.split(commandLine).toArray(String[]::new));
    }

    Map<String, String> environment() {
        return Map.of("AYB_DATABASE_URL", pg.jdbcUrl(), "AYB_DATABASE_USER", pg.user(),
                "AYB_DATABASE_PASSWORD", pg.password());
    }

    public static CliResult runWith(Map<String, String> environment, String... args) {
        return runOn(Terminal.NONE, environment, args);
    }

    /** As a person at {@code terminal} would run it: progress and screen refreshes when it is interactive. */
    static CliResult runOn(Terminal terminal, Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exitCode = AybCli.run(args, outStream, errStream, environment, Help.Ansi.OFF, terminal);
        }
        return new CliResult(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The library itself, to check what a command did (or set things up) without going through the tool. */
    AybMatviews library() {
        return AybMatviews.builder().dataSource(pg.dataSource()).build();
    }

    /** The schedules as the library sees them, jobs not run here: what the tool's schedules commands work on. */
    ScheduleAdmin schedules() {
        return AybJobs.builder(library()).build().schedules();
    }

    /** Registers the seed's view through the library and returns its registration. */
    Registration registerLeaderboard() {
        return library().registry().register(QualifiedName.parse("public.leaderboard"));
    }
}
