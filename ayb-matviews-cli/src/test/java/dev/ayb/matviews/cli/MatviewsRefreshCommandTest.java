package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MatviewsRefreshCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The key another session takes to hold the leaderboard's refresh lock: (namespace, the view's oid). */
    private static final String LOCK_LEADERBOARD = "SELECT pg_advisory_lock(" + AybMatviews.DEFAULT_LOCK_NAMESPACE
            + ", 'public.leaderboard'::regclass::oid::int8::int4)";

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void refreshByIdPrintsTheViewAndTheDurationAndRecomputesTheData() throws Exception {
        Registration registration = cli.registerLeaderboard();
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        CliResult result = cli.run("matviews", "refresh", registration.id().toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).matches("Refreshed public\\.leaderboard in \\d+ms\n");
        assertThat(result.err()).isEmpty();
        assertThat(bobsTotalMinutes()).isEqualTo(120);
    }

    @Test
    void refreshBySchemaDotViewIsRecordedAsACliRefresh() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "refresh", "public.leaderboard");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).matches("Refreshed public\\.leaderboard in \\d+ms\n");
        RefreshRun run = cli.library().registry().history(Views.LEADERBOARD, 1).get(0);
        assertThat(run.trigger()).isEqualTo(RefreshTrigger.CLI);
        assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(result.out()).isEqualTo("Refreshed public.leaderboard in " + run.durationMs() + "ms\n");
    }

    @Test
    void jsonPrintsTheRegistrationAsItIsAfterTheRefreshAndTheDuration() throws Exception {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "refresh", "public.leaderboard", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("registration").get("lastRefreshStatus").asText()).isEqualTo("success");
        assertThat(json.get("registration").get("lastRefreshDurationMs").asLong())
                .isEqualTo(json.get("durationMs").asLong());
    }

    @Test
    void whileAnotherSessionHoldsTheViewsLockItExitsWith3AndPrintsNothingOnStdout() throws Exception {
        cli.registerLeaderboard();

        try (Connection otherSession = PG.connection(); Statement statement = otherSession.createStatement()) {
            statement.execute(LOCK_LEADERBOARD);

            CliResult blocked = cli.run("matviews", "refresh", "public.leaderboard");

            assertThat(blocked.exitCode()).isEqualTo(3);
            assertThat(blocked.out()).isEmpty();
            assertThat(blocked.err()).isEqualTo("Error: refresh already in progress\n");
            assertThat(cli.library().registry().get("public.leaderboard").neverRefreshed())
                    .as("a rejected refresh records nothing").isTrue();
            statement.execute("SELECT pg_advisory_unlock_all()");
        }

        CliResult afterRelease = cli.run("matviews", "refresh", "public.leaderboard");
        assertThat(afterRelease.exitCode()).as(afterRelease.toString()).isZero();
    }

    @Test
    void aViewThatIsNotRegisteredIsNotFound() {
        CliResult result = cli.run("matviews", "refresh", "public.leaderboard");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("Error: matview registration not found\n");
    }

    @Test
    void anUnknownIdIsNotFound() {
        CliResult result = cli.run("matviews", "refresh", "550e8400-e29b-41d4-a716-446655440000");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("Error: matview registration not found\n");
    }

    @Test
    void textThatIsNeitherAnIdNorAViewNameIsRefused() {
        CliResult result = cli.run("matviews", "refresh", "not-a-uuid");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("Error: invalid matview id format\n");
    }

    @Test
    void concurrentModeWithoutAUniqueIndexFailsWithTheClearMessage() {
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        cli.library().registry().register(QualifiedName.parse("public.user_names"), RefreshMode.CONCURRENT);

        CliResult result = cli.run("matviews", "refresh", "public.user_names");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err())
                .isEqualTo("Error: concurrent refresh requires a unique index on the materialized view\n");
    }

    @Test
    void anUnpopulatedViewPrintsAHintAndModeStandardPopulatesItOnce() {
        PG.execute("CREATE MATERIALIZED VIEW restored AS SELECT id, name FROM users WITH NO DATA",
                "CREATE UNIQUE INDEX ON restored (id)");
        cli.library().registry().register(QualifiedName.parse("public.restored"), RefreshMode.CONCURRENT);

        CliResult refused = cli.run("matviews", "refresh", "public.restored");
        CliResult populated = cli.run("matviews", "refresh", "public.restored", "--mode", "standard");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).startsWith("Error: concurrent refresh requires a populated materialized view\n"
                + "Hint: ").contains("--mode standard");
        assertThat(populated.exitCode()).as(populated.toString()).isZero();
        assertThat(populated.out()).matches("Refreshed public\\.restored in \\d+ms\n");
        assertThat(cli.library().registry().get("public.restored").refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
        assertThat(cli.run("matviews", "refresh", "public.restored").exitCode()).isZero();
    }

    @Test
    void modeSwapRefreshesBesideTheLiveViewAndIsRefusedWhileViewsDependOnIt() {
        cli.registerLeaderboard();
        long oid = PG.queryLong("SELECT 'public.leaderboard'::regclass::oid");

        CliResult swapped = cli.run("matviews", "refresh", "public.leaderboard", "--mode", "swap");
        PG.execute("CREATE VIEW top_users AS SELECT name FROM leaderboard");
        CliResult refused = cli.run("matviews", "refresh", "public.leaderboard", "--mode", "swap");

        assertThat(swapped.exitCode()).as(swapped.toString()).isZero();
        assertThat(swapped.out()).matches("Refreshed public\\.leaderboard in \\d+ms\n");
        assertThat(PG.queryLong("SELECT 'public.leaderboard'::regclass::oid")).isNotEqualTo(oid);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("Error: swap refresh is refused while other views depend on the"
                + " materialized view: public.top_users\n");
    }

    @Test
    void anUnknownModeIsAUsageErrorNamingTheAllowedValues() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "refresh", "public.leaderboard", "--mode", "fast");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err())
                .contains("Invalid value for option '--mode': refreshMode must be 'standard', 'concurrent' or 'swap'");
    }

    @Test
    void aViewDroppedAfterRegistrationIsReportedAsGone() {
        cli.registerLeaderboard();
        PG.execute("DROP MATERIALIZED VIEW leaderboard");

        CliResult result = cli.run("matviews", "refresh", "public.leaderboard");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("Error: materialized view no longer exists in database\n");
    }

    @Test
    void withoutAViewItIsAUsageError() {
        CliResult result = cli.run("matviews", "refresh");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: Missing required parameter: '<id | schema.view>'\n");
    }

    private static long bobsTotalMinutes() throws Exception {
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT total_minutes FROM leaderboard WHERE name = 'bob'")) {
            row.next();
            return row.getLong(1);
        }
    }
}
