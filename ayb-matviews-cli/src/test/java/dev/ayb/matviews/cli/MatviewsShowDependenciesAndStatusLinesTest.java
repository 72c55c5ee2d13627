package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ayb matviews show}, {@code matviews dependencies}, the per-view lines of {@code matviews status},
 * {@code --watch}, and the progress of a cascade refresh on a terminal.
 */
class MatviewsShowDependenciesAndStatusLinesTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void stackedViews() {
        SampleSchema.create(PG);
        PG.execute("CREATE MATERIALIZED VIEW totals AS SELECT sum(total_minutes) AS minutes FROM leaderboard");
    }

    @Test
    void showPrintsOneRegistrationWithTheAgeOfItsData() throws Exception {
        Registration registration = cli.registerLeaderboard();
        cli.library().refreshes().refresh("public.leaderboard");

        CliResult text = cli.run("matviews", "show", "public.leaderboard");
        CliResult json = cli.run("matviews", "show", registration.id().toString(), "--json");

        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).startsWith("FIELD").contains("ID ", registration.id().toString(), "VIEW ",
                "public.leaderboard", "MODE ", "STATUS ", "success", "FRESHNESS ", "unknown");
        assertThat(text.out().lines().filter(line -> line.startsWith("DATA AGE")).findFirst().orElseThrow())
                .matches("DATA AGE +\\d+s");
        JsonNode document = new ObjectMapper().readTree(json.out());
        assertThat(document.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(document.get("lastRefreshStatus").asText()).isEqualTo("success");
        assertThat(document.get("freshness").get("state").asText()).isEqualTo("unknown");
        assertThat(cli.run("matviews", "show", "public.totals").exitCode()).isEqualTo(4);
    }

    @Test
    void dependenciesListWhatTheViewReadsAndWhatReadsIt() throws Exception {
        cli.registerLeaderboard();
        cli.run("matviews", "register", "--view", "totals");

        CliResult upstream = cli.run("matviews", "dependencies", "public.totals");
        CliResult downstream = cli.run("matviews", "dependencies", "public.leaderboard", "--json");

        assertThat(upstream.exitCode()).as(upstream.toString()).isZero();
        assertThat(upstream.out()).isEqualTo("DIRECTION  VIEW\nupstream   public.leaderboard\n");
        JsonNode json = new ObjectMapper().readTree(downstream.out());
        assertThat(json.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(json.get("upstream")).isEmpty();
        assertThat(json.get("downstream").get(0).asText()).isEqualTo("public.totals");
    }

    @Test
    void aViewNeedNotBeRegisteredButMustExist() {
        CliResult unregistered = cli.run("matviews", "dependencies", "public.leaderboard");
        CliResult missing = cli.run("matviews", "dependencies", "public.nope");

        assertThat(unregistered.exitCode()).as(unregistered.toString()).isZero();
        assertThat(unregistered.out()).isEqualTo("DIRECTION   VIEW\ndownstream  public.totals\n");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(4);
        assertThat(missing.err()).startsWith("Error: materialized view not found in database");
    }

    @Test
    void statusPrintsOneLinePerViewWithItsStateDataAgeAndLastOutcome() {
        cli.registerLeaderboard();
        cli.library().refreshes().refresh("public.leaderboard");
        failOneRefresh();

        CliResult result = cli.run("matviews", "status");
        CliResult withTheOldFlag = cli.run("matviews", "status", "--all");

        assertThat(result.exitCode()).isEqualTo(5);
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("Unhealthy: 1 of 2 registered views (behind threshold 1h).");
        assertThat(lines.get(1).split(" {2,}"))
                .containsExactly("VIEW", "STATE", "DATA AGE", "LAST OUTCOME", "LAST REFRESH", "ERROR");
        assertThat(lines.get(2).split(" {2,}")).startsWith("public.leaderboard", "healthy").contains("success");
        assertThat(lines.get(2).split(" {2,}")[2]).matches("\\d+s");
        assertThat(lines.get(3).split(" {2,}")).startsWith("public.user_names", "failing", "never", "error");
        assertThat(withTheOldFlag.exitCode()).isEqualTo(5);
        assertThat(withTheOldFlag.out().lines().skip(1).toList()).isEqualTo(lines.subList(1, lines.size()));
    }

    @Test
    void statusJsonAddsThePerViewLinesToTheHttpApisReport() throws Exception {
        cli.registerLeaderboard();
        cli.library().refreshes().refresh("public.leaderboard");

        CliResult result = cli.run("matviews", "status", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("status").asText()).isEqualTo("healthy");
        assertThat(json.get("views").asInt()).isEqualTo(1);
        JsonNode view = json.get("perView").get(0);
        assertThat(view.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(view.get("status").asText()).isEqualTo("healthy");
        assertThat(view.get("problems")).isEmpty();
        assertThat(view.get("dataAgeMs").isIntegralNumber()).isTrue();
        assertThat(view.get("lastRefreshStatus").asText()).isEqualTo("success");
    }

    @Test
    void watchInAScriptPrintsOnceAsWithoutIt() {
        cli.registerLeaderboard();
        cli.library().refreshes().refresh("public.leaderboard");

        CliResult result = cli.run("matviews", "status", "--watch");

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("Healthy: all 1 registered views (behind threshold 1h).");
        assertThat(lines.get(2)).startsWith("public.leaderboard ");
    }

    @Test
    void watchOnATerminalRedrawsTheScreenUntilInterrupted() {
        cli.registerLeaderboard();
        failOneRefresh();

        CliResult result = Cli.runOn(FakeTerminal.interactive(2), cli.environment(), "matviews", "status", "--watch",
                "--interval", "2s");

        assertThat(result.exitCode()).isEqualTo(5);
        assertThat(result.out().split("\u001b\\[H\u001b\\[2J", -1)).hasSize(4);
        assertThat(result.out()).contains("Every 2s, until interrupted; ").containsPattern("public\\.user_names +failing");
    }

    @Test
    void aCascadeRefreshShowsProgressOnATerminalOnly() {
        cli.run("matviews", "register", "--view", "totals");

        CliResult onTerminal = Cli.runOn(FakeTerminal.interactive(0), cli.environment(), "matviews", "refresh",
                "public.totals", "--cascade", "upstream");
        CliResult inScript = cli.run("matviews", "refresh", "public.totals", "--cascade", "upstream");

        assertThat(onTerminal.exitCode()).as(onTerminal.toString()).isZero();
        assertThat(onTerminal.err()).contains("\r\u001b[KRefreshing public.leaderboard (0 done so far)...")
                .contains("\r\u001b[KRefreshing public.totals (1 done so far)...").endsWith("\r\u001b[K");
        assertThat(onTerminal.out()).matches("Refreshed public\\.leaderboard in \\d+ms\nRefreshed public\\.totals in \\d+ms\n");
        assertThat(inScript.err()).isEmpty();
    }

    private void failOneRefresh() {
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        cli.library().registry().register(QualifiedName.parse("public.user_names"), RefreshMode.CONCURRENT);
        try {
            cli.library().refreshes().refresh("public.user_names");
        } catch (MatviewException expected) {
            // Recorded as a failed run.
        }
    }
}
