package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MatviewsRegisterCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void theSeedsRegisterLineRegistersTheViewAndPrintsItsId() {
        CliResult result = cli.run("matviews", "register", "--view", "leaderboard", "--schema", "public",
                "--mode", "standard");

        Registration registered = cli.library().registry().get("public.leaderboard");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Registered public.leaderboard (standard) with id " + registered.id() + "\n");
        assertThat(result.err()).isEmpty();
        assertThat(registered.refreshMode()).isEqualTo(RefreshMode.STANDARD);
        assertThat(registered.neverRefreshed()).isTrue();
    }

    @Test
    void schemaDefaultsToPublicAndModeToStandard() {
        CliResult result = cli.run("matviews", "register", "--view", "leaderboard");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Registered public.leaderboard (standard) with id ");
        assertThat(cli.library().registry().get("public.leaderboard").refreshMode()).isEqualTo(RefreshMode.STANDARD);
    }

    @Test
    void viewMayBeGivenAsSchemaDotView() {
        CliResult result = cli.run("matviews", "register", "--view", "public.leaderboard", "--mode", "concurrent");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Registered public.leaderboard (concurrent) with id ");
        assertThat(result.err()).as("the view has a unique index and is populated: no warning").isEmpty();
        assertThat(cli.library().registry().get("public.leaderboard").refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
    }

    @Test
    void concurrentModeOnAViewWithoutUniqueIndexIsRegisteredWithAWarningOnStderr() {
        SampleSchema.createViewWithoutIndex(PG, "user_names");

        CliResult result = cli.run("matviews", "register", "--view", "user_names", "--mode", "concurrent");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Registered public.user_names (concurrent) with id ");
        assertThat(result.err()).isEqualTo("Warning: concurrent refresh requires a unique index on the materialized"
                + " view; refreshes of public.user_names fail until then\n");
    }

    @Test
    void swapModeOnAViewOthersDependOnIsRegisteredWithAWarningNamingThem() {
        PG.execute("CREATE VIEW top_users AS SELECT name FROM leaderboard");

        CliResult result = cli.run("matviews", "register", "--view", "leaderboard", "--mode", "swap");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("Registered public.leaderboard (swap) with id ");
        assertThat(result.err()).isEqualTo("Warning: swap refresh is refused while other views depend on the"
                + " materialized view: public.top_users; refreshes of public.leaderboard fail until then\n");
        assertThat(cli.library().registry().get("public.leaderboard").refreshMode()).isEqualTo(RefreshMode.SWAP);
    }

    @Test
    void jsonPrintsTheRegistrationWithTheApiFieldNames() throws Exception {
        CliResult result = cli.run("matviews", "register", "--view", "leaderboard", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(json.get("id").asText()).isEqualTo(cli.library().registry().get("public.leaderboard").id().toString());
        assertThat(json.get("schemaName").asText()).isEqualTo("public");
        assertThat(json.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(json.get("refreshMode").asText()).isEqualTo("standard");
        assertThat(json.get("lastRefreshAt").isNull()).isTrue();
    }

    @Test
    void anUnknownModeIsAUsageErrorWithTheLibrarysMessage() {
        CliResult result = cli.run("matviews", "register", "--view", "leaderboard", "--mode", "fast");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("Error: Invalid value for option '--mode': "
                + "refreshMode must be 'standard', 'concurrent' or 'swap'\n");
        assertThat(cli.library().registry().list()).isEmpty();
    }

    @Test
    void aSecondRegistrationOfTheSameViewIsRefused() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "register", "--view", "leaderboard");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error: materialized view already registered\n");
    }

    @Test
    void aTableIsNotAMaterializedView() {
        CliResult result = cli.run("matviews", "register", "--view", "users");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error: materialized view not found in database\n");
    }

    @Test
    void anUnsafeIdentifierIsRefusedAndQuotedInTheMessage() {
        CliResult result = cli.run("matviews", "register", "--view", "bad-name");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: invalid identifier: \"bad-name\"\n");
        assertThat(cli.library().registry().list()).isEmpty();
    }

    @Test
    void withoutViewItIsAUsageError() {
        CliResult result = cli.run("matviews", "register", "--schema", "public");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: Missing required option: '--view=<name>'\n")
                .contains("Try 'ayb matviews register --help' for more information.");
    }
}
