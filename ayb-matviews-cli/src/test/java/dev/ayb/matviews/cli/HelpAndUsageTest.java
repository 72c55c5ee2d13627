package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version and usage errors: none of these needs a database. */
class HelpAndUsageTest {
    private static final String SECRET = "s3cret-do-not-print";
    private static final Map<String, String> ENVIRONMENT_WITH_SECRET = Map.of("AYB_DATABASE_URL",
            "jdbc:postgresql://db.example:5432/app?password=" + SECRET, "AYB_DATABASE_PASSWORD", SECRET);

    @Test
    void rootHelpListsTheCommandsTheExitCodesAndTheEnvironment() {
        CliResult result = Cli.runWith(Map.of(), "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).startsWith("Usage: ayb ")
                .contains("  matviews ", "  schedules ", "--database-url=<jdbc-url>", "--ayb-schema=<schema>")
                .contains("Exit codes:", "  0   Success.", "  1   Error: ", "  2   Usage error: ",
                        "  3   Refresh already in progress: ", "  4   Not found: ", "  5   Unhealthy",
                        "  6   Cannot connect: ", "  7   Schema not migrated: ")
                .contains("  jobs ", "  migrate ", "  schema ", "--no-migrate", "--config=<file>")
                .contains("AYB_DATABASE_URL", "AYB_DATABASE_USER", "AYB_DATABASE_PASSWORD", "AYB_SCHEMA");
    }

    @ParameterizedTest
    @ValueSource(strings = {"matviews list", "matviews register", "matviews refresh", "matviews update",
        "matviews unregister", "matviews discover", "matviews history", "matviews sources", "schedules list", "schedules create",
        "schedules update", "schedules delete", "schedules enable", "schedules disable", "schedules run",
        "matviews status", "matviews show", "matviews dependencies", "schedules show", "schedules preview", "jobs list",
        "jobs show", "jobs retry", "jobs cancel", "migrate", "schema status", "events"})
    void everyCommandHasHelpWithItsExitCodes(String command) {
        CliResult result = Cli.runWith(Map.of(), (command + " --help").split(" "));

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: ayb " + command + " ")
                .contains("  -h, --help ", "--database-url=<jdbc-url>", "Exit codes:", "  3   Refresh already in progress");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "matviews list --help", "schedules create --help"})
    void helpNeverShowsThePasswordGivenInTheEnvironmentOrOnTheCommandLine(String args) {
        CliResult result = Cli.runWith(ENVIRONMENT_WITH_SECRET, (args + " --password " + SECRET).split(" "));

        assertThat(result.exitCode()).isZero();
        assertThat(result.out() + result.err()).doesNotContain(SECRET);
    }

    @Test
    void groupHelpListsItsCommands() {
        CliResult result = Cli.runWith(Map.of(), "matviews", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("  list ", "  register ", "  refresh ", "  update ", "  unregister ",
                "  discover ", "  history ");
    }

    @Test
    void noCommandIsAUsageErrorThatShowsTheCommandsOnStderr() {
        CliResult result = Cli.runWith(Map.of());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error: Missing required subcommand\nUsage: ayb ").contains("  matviews ");
    }

    @Test
    void aMistypedCommandIsAUsageError() {
        CliResult result = Cli.runWith(Map.of(), "matviews", "lsit");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: unknown command 'lsit' for 'ayb matviews'\n");
    }

    @Test
    void aMistypedOptionIsAUsageErrorWithASuggestion() {
        CliResult result = Cli.runWith(Map.of(), "matviews", "list", "--jsn");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: Unknown option: '--jsn'\n").contains("--json")
                .contains("Try 'ayb matviews list --help' for more information.");
    }

    @Test
    void versionIsTheProjectVersion() {
        CliResult result = Cli.runWith(Map.of(), "--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).matches("ayb \\d+\\.\\d+\\.\\d+\\S*\n");
    }

    @Test
    void completionScriptCoversTheCommands() {
        CliResult result = Cli.runWith(Map.of(), "generate-completion");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("complete -F", "matviews", "schedules", "--database-url");
    }

    @Test
    void inProcessOutputHasNoColourCodes() {
        CliResult help = Cli.runWith(Map.of(), "--help");
        CliResult error = Cli.runWith(Map.of(), "matviews", "list");

        assertThat(help.out() + error.err()).doesNotContain("\u001b[");
    }
}
