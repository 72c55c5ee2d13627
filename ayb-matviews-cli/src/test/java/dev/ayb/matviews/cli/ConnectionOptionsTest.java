package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionOptionsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String SECRET = "s3cret-do-not-print";
    /** Nothing listens on port 1, so connecting fails at once. */
    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/app";

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void withoutADatabaseUrlItIsAUsageErrorNamingBothWaysToGiveOne() {
        CliResult result = Cli.runWith(Map.of(), "matviews", "list");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error: no database URL: pass --database-url or set AYB_DATABASE_URL\n");
    }

    @Test
    void optionsWorkWithoutAnyEnvironment() {
        CliResult result = Cli.runWith(Map.of(), "matviews", "list", "--database-url", PG.jdbcUrl(),
                "--user", PG.user(), "--password", PG.password());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("No materialized views registered.\n");
    }

    @Test
    void optionsMayAlsoComeBeforeTheCommand() {
        CliResult result = Cli.runWith(Map.of(), "--database-url", PG.jdbcUrl(), "--user", PG.user(),
                "matviews", "register", "--view", "leaderboard");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(cli.library().registry().list()).hasSize(1);
    }

    @Test
    void userAndPasswordMayBeParametersOfTheUrl() {
        String url = PG.jdbcUrl() + (PG.jdbcUrl().contains("?") ? "&" : "?") + "user=" + PG.user() + "&password="
                + PG.password();

        CliResult result = Cli.runWith(Map.of("AYB_DATABASE_URL", url), "matviews", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void anOptionWinsOverTheEnvironment() {
        Map<String, String> environment = new HashMap<>(cli.environment());
        environment.put("AYB_DATABASE_URL", UNREACHABLE);

        CliResult result = Cli.runWith(environment, "matviews", "list", "--database-url", PG.jdbcUrl());

        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    /** Exit 6, not 1: a script can tell "try again later" from "this will never work". */
    @Test
    void anUnreachableServerExitsSixNamingHostAndPortButNotThePassword() {
        CliResult result = Cli.runWith(Map.of("AYB_DATABASE_PASSWORD", SECRET), "matviews", "list",
                "--database-url", UNREACHABLE + "?password=" + SECRET, "--verbose");

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error: cannot connect to PostgreSQL at 127.0.0.1:1/app: ")
                .doesNotContain(SECRET);
    }

    @Test
    void aRefusedLoginIsAnErrorWithPostgresqlsReason() {
        CliResult result = Cli.runWith(Map.of("AYB_DATABASE_URL", PG.jdbcUrl(), "AYB_DATABASE_USER", "no_such_role",
                "AYB_DATABASE_PASSWORD", SECRET), "matviews", "list");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: cannot connect to PostgreSQL at ")
                .contains("role \"no_such_role\" does not exist")
                .doesNotContain(SECRET)
                .doesNotContain("\tat ");
    }

    @Test
    void aUrlThatIsNotPostgresqlIsAUsageErrorThatDoesNotEchoIt() {
        CliResult result = Cli.runWith(Map.of("AYB_DATABASE_URL", "jdbc:mysql://db/app?password=" + SECRET),
                "matviews", "list");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: the database URL is not a PostgreSQL JDBC URL")
                .doesNotContain(SECRET);
    }

    @Test
    void theLibrarySchemaCanBeChangedByOptionOrEnvironment() throws Exception {
        CliResult byOption = cli.run("--ayb-schema", "ayb_tools", "matviews", "register", "--view", "leaderboard");
        assertThat(byOption.exitCode()).as(byOption.toString()).isZero();
        assertThat(registrationsIn("ayb_tools")).isEqualTo(1);

        Map<String, String> environment = new HashMap<>(cli.environment());
        environment.put("AYB_SCHEMA", "ayb_tools");
        CliResult byEnvironment = Cli.runWith(environment, "matviews", "list");
        assertThat(byEnvironment.out()).contains("leaderboard");

        CliResult defaultSchema = cli.run("matviews", "list");
        assertThat(defaultSchema.out()).isEqualTo("No materialized views registered.\n");
    }

    @Test
    void anInvalidLibrarySchemaIsRefused() {
        CliResult result = cli.run("matviews", "list", "--ayb-schema", "bad-name");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: invalid identifier: \"bad-name\"\n");
    }

    @Test
    void verbosePrintsTheStackTraceAndOtherwiseItIsNeverPrinted() {
        CliResult quiet = cli.run("matviews", "refresh", "public.leaderboard");
        CliResult verbose = cli.run("matviews", "refresh", "public.leaderboard", "--verbose");

        assertThat(quiet.err()).isEqualTo("Error: matview registration not found\n");
        assertThat(verbose.exitCode()).isEqualTo(4);
        assertThat(verbose.err()).startsWith("Error: matview registration not found\n")
                .contains("dev.ayb.matviews.MatviewException: matview registration not found")
                .contains("\tat dev.ayb.matviews.");
    }

    private static long registrationsIn(String schema) throws Exception {
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM " + schema + ".matview_registrations")) {
            row.next();
            return row.getLong(1);
        }
    }
}
