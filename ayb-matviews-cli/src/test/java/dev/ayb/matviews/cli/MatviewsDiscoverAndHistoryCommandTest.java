package dev.ayb.matviews.cli;

import static dev.ayb.matviews.cli.MatviewsListCommandTest.fieldNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MatviewsDiscoverAndHistoryCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void discoverListsEveryMaterializedViewRegisteredOrNot() {
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        Registration leaderboard = cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "discover");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines().map(line -> List.of(line.split(" {2,}")))).containsExactly(
                List.of("SCHEMA", "VIEW", "POPULATED", "UNIQUE INDEX", "REGISTRATION"),
                List.of("public", "leaderboard", "yes", "yes", leaderboard.id().toString()),
                List.of("public", "user_names", "yes", "no", "not registered"));
    }

    @Test
    void discoverJsonSaysWhatWouldBlockAConcurrentRefresh() throws Exception {
        SampleSchema.createViewWithoutIndex(PG, "user_names");

        JsonNode views = new ObjectMapper().readTree(cli.run("matviews", "discover", "--json").out());

        assertThat(views).hasSize(2);
        assertThat(fieldNames(views.get(0))).containsExactly("schemaName", "viewName", "populated", "hasUniqueIndex",
                "registered", "registrationId", "concurrentRefreshBlocker", "swapRefreshBlocker", "dependants",
                "refreshModes");
        JsonNode userNames = views.get(1);
        assertThat(userNames.get("refreshModes").toString()).isEqualTo("[\"standard\",\"swap\"]");
        assertThat(userNames.get("viewName").asText()).isEqualTo("user_names");
        assertThat(userNames.get("registered").asBoolean()).isFalse();
        assertThat(userNames.get("registrationId").isNull()).isTrue();
        assertThat(userNames.get("concurrentRefreshBlocker").asText())
                .isEqualTo("concurrent refresh requires a unique index on the materialized view");
    }

    @Test
    void discoverWithNoMaterializedViewsSaysSo() {
        PG.execute("DROP MATERIALIZED VIEW leaderboard");

        CliResult result = cli.run("matviews", "discover");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("No materialized views in the database.\n");
    }

    @Test
    void historyShowsTheRefreshesNewestFirstWithTheirTriggerAndOutcome() {
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        cli.library().registry().register(QualifiedName.parse("public.user_names"), RefreshMode.CONCURRENT);
        cli.run("matviews", "refresh", "public.user_names");
        cli.library().registry().updateMode("public.user_names", RefreshMode.STANDARD);
        cli.library().refreshes().refresh("public.user_names");

        CliResult result = cli.run("matviews", "history", "public.user_names");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).split(" {2,}")).containsExactly("STARTED", "TRIGGER", "MODE", "DURATION", "STATUS",
                "ERROR");
        assertThat(lines.get(1).split(" {2,}")).containsSubsequence("manual", "standard").contains("success", "-");
        assertThat(lines.get(2).split(" {2,}")).containsSubsequence("cli", "concurrent").contains("error",
                "concurrent refresh requires a unique index on the materialized view");
    }

    @Test
    void historyJsonHasTheApiFieldsOfEachRun() throws Exception {
        Registration registration = cli.registerLeaderboard();
        cli.run("matviews", "refresh", "public.leaderboard");
        RefreshRun run = cli.library().registry().history(Views.LEADERBOARD, 1).get(0);

        JsonNode runs = new ObjectMapper().readTree(cli.run("matviews", "history", "public.leaderboard", "--json").out());

        assertThat(runs).hasSize(1);
        JsonNode json = runs.get(0);
        assertThat(fieldNames(json)).containsExactly("id", "registrationId", "schemaName", "viewName", "refreshMode",
                "trigger", "startedAt", "finishedAt", "durationMs", "status", "error", "sqlState");
        assertThat(json.get("id").asLong()).isEqualTo(run.id());
        assertThat(json.get("registrationId").asText()).isEqualTo(registration.id().toString());
        assertThat(json.get("trigger").asText()).isEqualTo("cli");
        assertThat(json.get("status").asText()).isEqualTo("success");
        assertThat(json.get("startedAt").asText()).isEqualTo(run.startedAt().toString());
        assertThat(json.get("error").isNull()).isTrue();
        assertThat(json.get("sqlState").isNull()).isTrue();
    }

    @Test
    void historyLimitKeepsTheNewestRuns() {
        cli.registerLeaderboard();
        cli.run("matviews", "refresh", "public.leaderboard");
        cli.run("matviews", "refresh", "public.leaderboard");

        CliResult result = cli.run("matviews", "history", "public.leaderboard", "--limit", "1");

        assertThat(result.out().lines()).hasSize(2);
    }

    @Test
    void historyOfAViewNeverRefreshedSaysSo() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "history", "public.leaderboard");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("No refreshes recorded for public.leaderboard.\n");
    }

    @Test
    void historyOfAViewNotRegisteredIsNotFound() {
        CliResult result = cli.run("matviews", "history", "public.leaderboard");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.err()).isEqualTo("Error: matview registration not found\n");
    }
}
