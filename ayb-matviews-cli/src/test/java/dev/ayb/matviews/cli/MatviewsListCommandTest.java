package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.FailedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MatviewsListCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final List<String> REGISTRATION_FIELDS = List.of("id", "schemaName", "viewName", "refreshMode",
            "lastRefreshAt", "lastRefreshDurationMs", "lastRefreshStatus", "lastRefreshError", "createdAt", "updatedAt",
            "lastSuccessAt", "changeTracking", "targetLagMs", "freshness");

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void withNothingRegisteredItSaysSo() {
        CliResult result = cli.run("matviews", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("No materialized views registered.\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void aViewNeverRefreshedShowsNeverAndDashes() {
        Registration registration = cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines()).containsExactly(
                "ID                                    SCHEMA  VIEW         MODE      LAST REFRESH  DURATION  STATUS  AS OF  FRESHNESS  TARGET  LAG",
                registration.id() + "  public  leaderboard  standard  never         -         -       never  unknown    -       -");
    }

    @Test
    void aRefreshedViewShowsWhenHowLongAndTheOutcome() {
        Registration registration = cli.registerLeaderboard();
        Registration refreshed = cli.library().refreshes().refresh("public.leaderboard").registration();

        CliResult result = cli.run("matviews", "list");

        String row = result.out().lines().skip(1).findFirst().orElseThrow();
        assertThat(row.split(" {2,}")).containsExactly(registration.id().toString(), "public", "leaderboard",
                "standard", refreshed.lastRefreshAt().truncatedTo(ChronoUnit.SECONDS).toString(),
                refreshed.lastRefreshDurationMs() + "ms", "success",
                refreshed.lastSuccessAt().truncatedTo(ChronoUnit.SECONDS).toString(), "unknown", "-", "-");
    }

    @Test
    void freshnessComesAfterTheDataAgeAndFollowsTheSourcesOfATrackedView() {
        cli.library().registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.STANDARD,
                RefreshTimeouts.NONE, true);

        assertThat(freshnessColumn()).isEqualTo("behind");
        cli.library().refreshes().refresh("public.leaderboard");
        assertThat(freshnessColumn()).isEqualTo("current");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        assertThat(freshnessColumn()).isEqualTo("behind");
    }

    private String freshnessColumn() {
        String[] cells = cli.run("matviews", "list").out().lines().skip(1).findFirst().orElseThrow().split(" {2,}");
        assertThat(cells).hasSize(11);
        return cells[8];
    }

    @Test
    void aFailedRefreshLeavesTheDataAsOfTheLastSuccess() {
        cli.registerLeaderboard();
        Registration refreshed = cli.library().refreshes().refresh("public.leaderboard").registration();
        FailedRefresh.run(PG, cli.library().registry(), cli.library().refreshes(), "public.leaderboard",
                "public.workouts");

        String row = cli.run("matviews", "list").out().lines().skip(1).findFirst().orElseThrow();

        String[] cells = row.split(" {2,}");
        assertThat(cells[6]).isEqualTo("error");
        assertThat(cells[7]).isEqualTo(refreshed.lastSuccessAt().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    @Test
    void rowsAreOrderedBySchemaThenView() {
        SampleSchema.createViewWithoutIndex(PG, "user_names");
        cli.library().registry().register(QualifiedName.parse("public.user_names"), RefreshMode.STANDARD);
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "list");

        assertThat(result.out().lines().skip(1).map(line -> line.split("\\s+")[2]))
                .containsExactly("leaderboard", "user_names");
    }

    @Test
    void jsonIsAnArrayOfRegistrationsWithEveryApiFieldAndNullsIncluded() throws Exception {
        Registration registration = cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "list", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        JsonNode array = new ObjectMapper().readTree(result.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(1);
        JsonNode json = array.get(0);
        assertThat(fieldNames(json)).containsExactlyElementsOf(REGISTRATION_FIELDS);
        assertThat(json.get("id").asText()).isEqualTo(registration.id().toString());
        assertThat(json.get("schemaName").asText()).isEqualTo("public");
        assertThat(json.get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(json.get("refreshMode").asText()).isEqualTo("standard");
        assertThat(json.get("lastRefreshAt").isNull()).isTrue();
        assertThat(json.get("lastRefreshDurationMs").isNull()).isTrue();
        assertThat(json.get("lastRefreshStatus").isNull()).isTrue();
        assertThat(json.get("lastRefreshError").isNull()).isTrue();
        assertThat(json.get("createdAt").asText()).isEqualTo(registration.createdAt().toString());
        assertThat(json.get("updatedAt").asText()).isEqualTo(registration.updatedAt().toString());
        assertThat(json.get("lastSuccessAt").isNull()).isTrue();
        assertThat(json.get("changeTracking").asBoolean()).isFalse();
        assertThat(json.get("freshness").toString())
                .isEqualTo("{\"state\":\"unknown\",\"behindSince\":null,\"reason\":\"change tracking is off\","
                        + "\"lagMs\":null,\"nextRefreshAt\":null}");
    }

    @Test
    void jsonAfterARefreshCarriesItsOutcome() throws Exception {
        cli.registerLeaderboard();
        Registration refreshed = cli.library().refreshes().refresh("public.leaderboard").registration();

        JsonNode json = new ObjectMapper().readTree(cli.run("matviews", "list", "--json").out()).get(0);

        assertThat(json.get("lastRefreshAt").asText()).isEqualTo(refreshed.lastRefreshAt().toString());
        assertThat(json.get("lastRefreshDurationMs").asLong()).isEqualTo(refreshed.lastRefreshDurationMs());
        assertThat(json.get("lastRefreshStatus").asText()).isEqualTo("success");
        assertThat(json.get("lastRefreshError").isNull()).isTrue();
        assertThat(json.get("lastSuccessAt").asText()).isEqualTo(refreshed.lastSuccessAt().toString());
    }

    @Test
    void jsonWithNothingRegisteredIsAnEmptyArray() throws Exception {
        CliResult result = cli.run("matviews", "list", "--json");

        JsonNode array = new ObjectMapper().readTree(result.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).isEmpty();
    }

    static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
