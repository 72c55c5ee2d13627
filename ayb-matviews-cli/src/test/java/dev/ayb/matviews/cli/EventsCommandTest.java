package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ayb events}: the admin event stream's events as lines, recorded ones or, with --follow, live ones. */
class EventsCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
        cli.registerLeaderboard();
    }

    @Test
    void recordedRefreshesArePrintedOldestFirstAfterTheGivenId() throws Exception {
        cli.library().refreshes().refresh("public.leaderboard");
        cli.library().refreshes().refresh("public.leaderboard");

        CliResult all = cli.run("events");
        List<String> lines = all.out().lines().toList();
        long firstId = Long.parseLong(lines.get(0).split(" {2}")[0]);
        CliResult after = cli.run("events", "--after", String.valueOf(firstId), "--json");

        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line)
                .matches("\\d+  refresh  public\\.leaderboard  success  \\d+ms  at \\S+Z"));
        List<String> json = after.out().lines().toList();
        assertThat(json).hasSize(1);
        JsonNode event = new ObjectMapper().readTree(json.get(0));
        assertThat(event.get("event").asText()).isEqualTo("refresh");
        assertThat(event.get("id").asLong()).isGreaterThan(firstId);
        assertThat(event.get("data").get("viewName").asText()).isEqualTo("leaderboard");
        assertThat(event.get("data").get("status").asText()).isEqualTo("success");
    }

    @Test
    void followPrintsNewRefreshesAndScheduleChangesUntilTheTimeIsUp() {
        CompletableFuture<Void> changes = CompletableFuture.runAsync(() -> {
            // The changes must come after the command subscribed, or it has nothing new to print.
            Await.until("the command to listen for events", () -> PG.queryLong("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND query LIKE 'LISTEN %'") > 0);
            cli.library().refreshes().refresh("public.leaderboard");
            cli.schedules().create(new ScheduleSpec("leaderboard_hourly", "materialized_view_refresh", "0 * * * *",
                    null, Map.of("schema", "public", "view_name", "leaderboard"), true, null));
        });

        CliResult result = cli.run("events", "--follow", "--for", "6s");
        changes.join();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).containsPattern("(?m)^\\d+  refresh  public\\.leaderboard  success  ")
                .containsPattern("(?m)^-  schedule  leaderboard_hourly \\(id ");
    }

    @Test
    void optionsThatDoNotFitAreUsageErrors() {
        assertThat(cli.run("events", "--limit", "0").err()).startsWith("Error: --limit must be between 1 and 1000\n");
        assertThat(cli.run("events", "--for", "1s").err()).startsWith("Error: --for needs --follow\n");
        assertThat(cli.run("events", "--after", "-1").exitCode()).isEqualTo(2);
    }
}
