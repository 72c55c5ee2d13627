package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code register --change-tracking}, {@code update --change-tracking=true|false}, {@code refresh --if-changed}
 * and {@code sources}.
 */
class MatviewsChangeTrackingCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    private Registration leaderboard() {
        return cli.library().registry().get("public.leaderboard");
    }

    private CliResult registerTracked() {
        CliResult result = cli.run("matviews", "register", "--view", "leaderboard", "--change-tracking");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void registerWithChangeTrackingSaysSoAndTracksTheSources() {
        CliResult result = registerTracked();

        assertThat(result.out()).isEqualTo("Registered public.leaderboard (standard, change tracking on) with id "
                + leaderboard().id() + "\n");
        assertThat(leaderboard().changeTracking()).isTrue();
        assertThat(cli.library().freshness().sources("public.leaderboard")).hasSize(2);
    }

    @Test
    void registerJsonHasTheFreshness() throws Exception {
        CliResult result = cli.run("matviews", "register", "--view", "leaderboard", "--change-tracking", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("changeTracking").asBoolean()).isTrue();
        assertThat(json.at("/freshness/state").asText()).isEqualTo("behind");
    }

    @Test
    void updateTurnsTrackingOnAndOffWithoutAMode() {
        cli.registerLeaderboard();

        CliResult on = cli.run("matviews", "update", "public.leaderboard", "--change-tracking=true");

        assertThat(on.exitCode()).as(on.toString()).isZero();
        assertThat(on.out()).isEqualTo("Updated public.leaderboard: change tracking is now on\n");
        assertThat(leaderboard().changeTracking()).isTrue();

        CliResult off = cli.run("matviews", "update", "public.leaderboard", "--change-tracking", "false");

        assertThat(off.out()).isEqualTo("Updated public.leaderboard: change tracking is now off\n");
        assertThat(leaderboard().changeTracking()).isFalse();
        assertThat(cli.library().freshness().sources("public.leaderboard")).isEmpty();
    }

    @Test
    void updateChangesModeAndTrackingTogether() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "update", "public.leaderboard", "--mode", "concurrent",
                "--change-tracking=true");

        assertThat(result.out())
                .isEqualTo("Updated public.leaderboard: refresh mode is now concurrent, change tracking is now on\n");
        assertThat(leaderboard().changeTracking()).isTrue();
        assertThat(leaderboard().refreshMode().wireName()).isEqualTo("concurrent");
    }

    @Test
    void updateWithAChangeTrackingThatIsNotABooleanIsAUsageError() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "update", "public.leaderboard", "--change-tracking=maybe");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: ").contains("--change-tracking");
        assertThat(leaderboard().changeTracking()).isFalse();
    }

    @Test
    void refreshIfChangedSkipsACurrentViewAndExitsZero() {
        registerTracked();
        cli.library().refreshes().refresh("public.leaderboard");

        CliResult result = cli.run("matviews", "refresh", "public.leaderboard", "--if-changed");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Skipped public.leaderboard: " + RefreshService.SKIPPED_UNCHANGED + "\n");
        var latest = cli.library().registry().history("public.leaderboard", 1).get(0);
        assertThat(latest.status()).isEqualTo(RefreshStatus.SKIPPED);
        assertThat(latest.trigger()).isEqualTo(RefreshTrigger.CLI);

        CliResult history = cli.run("matviews", "history", "public.leaderboard");
        assertThat(history.out().lines().skip(1).findFirst().orElseThrow()).contains(" skipped");
    }

    @Test
    void refreshIfChangedRefreshesOnceASourceChanged() {
        registerTracked();
        cli.library().refreshes().refresh("public.leaderboard");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        CliResult result = cli.run("matviews", "refresh", "public.leaderboard", "--if-changed");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Refreshed public.leaderboard in ");
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
    }

    @Test
    void refreshIfChangedJsonIsTheHttpAnswer() throws Exception {
        registerTracked();
        cli.library().refreshes().refresh("public.leaderboard");

        CliResult result = cli.run("matviews", "refresh", "public.leaderboard", "--if-changed", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(fieldNames(json)).containsExactly("registration", "durationMs", "skipped", "reason");
        assertThat(json.get("skipped").asBoolean()).isTrue();
        assertThat(json.get("reason").asText()).isEqualTo(RefreshService.SKIPPED_UNCHANGED);
        assertThat(json.at("/registration/freshness/state").asText()).isEqualTo("current");
    }

    @Test
    void ifChangedCombinesWithNeitherCascadeNorMode() {
        registerTracked();

        CliResult cascade = cli.run("matviews", "refresh", "public.leaderboard", "--if-changed", "--cascade", "upstream");
        CliResult mode = cli.run("matviews", "refresh", "public.leaderboard", "--if-changed", "--mode", "standard");

        assertThat(cascade.exitCode()).isEqualTo(2);
        assertThat(cascade.err()).startsWith("Error: --if-changed cannot be combined with --cascade\n");
        assertThat(mode.exitCode()).isEqualTo(2);
        assertThat(mode.err()).startsWith("Error: --if-changed cannot be combined with --mode\n");
        assertThat(cli.library().registry().history("public.leaderboard", 10)).isEmpty();
    }

    @Test
    void sourcesListsTheTrackedTables() {
        registerTracked();

        CliResult result = cli.run("matviews", "sources", "public.leaderboard");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out().lines()).containsExactly(
                "SCHEMA  TABLE     PARTITION  TRIGGER  CAPTURE",
                "public  users     no         yes      trigger",
                "public  workouts  no         yes      trigger");
    }

    @Test
    void sourcesOfAnUntrackedViewSaysTrackingIsOff() {
        cli.registerLeaderboard();

        CliResult result = cli.run("matviews", "sources", "public.leaderboard");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .isEqualTo("Change tracking is off for public.leaderboard: no source tables are tracked.\n");
    }

    @Test
    void sourcesJsonIsAnArrayWithTheApiFields() throws Exception {
        registerTracked();

        CliResult result = cli.run("matviews", "sources", "public.leaderboard", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(2);
        assertThat(fieldNames(json.get(0))).containsExactly("schemaName", "tableName", "partition", "triggerInstalled",
                "capture");
    }

    @Test
    void sourcesOfAViewNotRegisteredIsNotFound() {
        CliResult result = cli.run("matviews", "sources", "public.leaderboard");

        assertThat(result.exitCode()).isEqualTo(4);
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
