package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MatviewsUpdateAndUnregisterCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void updateChangesTheModeAndPrintsIt() {
        Registration registration = cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "update", registration.id().toString(), "--mode", "concurrent");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Updated public.leaderboard: refresh mode is now concurrent\n");
        assertThat(result.err()).isEmpty();
        assertThat(cli.library().registry().get("public.leaderboard").refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
    }

    @Test
    void updateToConcurrentWarnsWhenTheViewHasNoUniqueIndex() {
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        cli.library().registry().register(QualifiedName.parse("public.user_names"));

        CliResult result = cli.run("matviews", "update", "public.user_names", "--mode", "concurrent");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("Updated public.user_names: refresh mode is now concurrent\n");
        assertThat(result.err()).startsWith("Warning: concurrent refresh requires a unique index");
    }

    @Test
    void updateOfAViewNotRegisteredIsNotFound() {
        CliResult result = cli.run("matviews", "update", "public.leaderboard", "--mode", "concurrent");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error: matview registration not found\n");
    }

    @Test
    void updateWithAnUnknownModeIsAUsageErrorAndChangesNothing() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "update", "public.leaderboard", "--mode", "sometimes");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("refreshMode must be 'standard', 'concurrent' or 'swap'");
        assertThat(cli.library().registry().get("public.leaderboard").refreshMode()).isEqualTo(RefreshMode.STANDARD);
    }

    @Test
    void updateWithoutModeIsAUsageError() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "update", "public.leaderboard");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: Missing required option: '--mode=<mode>'");
    }

    @Test
    void unregisterRemovesTheRegistrationButNotTheView() throws Exception {
        Registration registration = cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "unregister", registration.id().toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out())
                .isEqualTo("Unregistered public.leaderboard (the materialized view itself was not dropped)\n");
        assertThat(cli.library().registry().list()).isEmpty();
        assertThat(rowsInLeaderboard()).as("the view still exists and still has its rows").isEqualTo(2);
    }

    @Test
    void unregisterOfAViewNotRegisteredIsNotFound() {
        CliResult result = cli.run("matviews", "unregister", "public.leaderboard");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error: matview registration not found\n");
    }

    private static long rowsInLeaderboard() throws Exception {
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM public.leaderboard")) {
            row.next();
            return row.getLong(1);
        }
    }
}
