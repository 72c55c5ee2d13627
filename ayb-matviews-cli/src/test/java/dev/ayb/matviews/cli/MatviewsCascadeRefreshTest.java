package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MatviewsCascadeRefreshTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void stackedViews() {
        SampleSchema.create(PG);
        PG.execute("CREATE MATERIALIZED VIEW totals AS SELECT sum(total_minutes) AS minutes FROM leaderboard",
                "CREATE MATERIALIZED VIEW unrelated AS SELECT count(*) AS n FROM users");
        cli.run("matviews", "register", "--view", "totals");
    }

    @Test
    void cascadeUpstreamRefreshesWhatTheViewReadsFirstAndPrintsEachView() {
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 1000)");

        CliResult result = cli.run("matviews", "refresh", "public.totals", "--cascade", "upstream");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).matches("Refreshed public\\.leaderboard in \\d+ms\nRefreshed public\\.totals in \\d+ms\n");
        assertThat(cli.library().registry().find("public.unrelated")).isEmpty();
    }

    @Test
    void cascadeJsonListsEveryViewAfterTheUsualFields() throws Exception {
        CliResult result = cli.run("matviews", "refresh", "public.totals", "--cascade", "upstream", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("registration").get("viewName").asText()).isEqualTo("totals");
        assertThat(json.get("durationMs").isIntegralNumber()).isTrue();
        assertThat(json.get("views").findValuesAsText("viewName")).containsExactly("leaderboard", "totals");
        assertThat(json.get("views").findValuesAsText("status")).containsExactly("refreshed", "refreshed");
    }

    @Test
    void aFailedViewStopsTheRunWithExitOneAndTheErrorOnStderr() {
        PG.execute("DROP MATERIALIZED VIEW totals", "DROP MATERIALIZED VIEW leaderboard",
                "CREATE MATERIALIZED VIEW leaderboard AS SELECT u.id, 1 / (u.id - 1) AS broken FROM users u WITH NO DATA",
                "CREATE MATERIALIZED VIEW totals AS SELECT sum(broken) AS minutes FROM leaderboard WITH NO DATA");

        CliResult result = cli.run("matviews", "refresh", "public.totals", "--cascade", "upstream");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).startsWith("Failed public.leaderboard: ").contains("division by zero")
                .contains("Skipped public.totals: not refreshed: public.leaderboard failed first");
        assertThat(result.err()).startsWith("Error: refresh of public.leaderboard failed: division by zero");
    }

    @Test
    void anUnknownCascadeIsAUsageError() {
        CliResult result = cli.run("matviews", "refresh", "public.totals", "--cascade", "sideways");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("cascade must be one of none, upstream, downstream, both");
    }
}
