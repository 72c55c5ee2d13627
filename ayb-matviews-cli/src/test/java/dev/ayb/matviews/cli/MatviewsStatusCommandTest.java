package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ayb matviews status}: the health report, and an exit status a script or a probe can branch on. */
class MatviewsStatusCommandTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void healthyViewsExitZero() {
        cli.registerLeaderboard();
        cli.library().refreshes().refresh("public.leaderboard");

        CliResult result = cli.run("matviews", "status");

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("Healthy: all 1 registered views (behind threshold 1h).");
        assertThat(lines.get(2).split(" {2,}")).startsWith("public.leaderboard", "healthy");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void aFailingViewExitsFiveAndIsListedWithItsError() {
        cli.registerLeaderboard();
        failOneRefresh();

        CliResult result = cli.run("matviews", "status", "--behind-threshold", "15m");

        assertThat(result.exitCode()).isEqualTo(5);
        assertThat(result.out().lines().findFirst()).contains("Unhealthy: 1 of 2 registered views (behind threshold 15m).");
        String row = result.out().lines().filter(line -> line.startsWith("public.user_names ")).findFirst()
                .orElseThrow();
        assertThat(row.split(" {2,}")).startsWith("public.user_names", "failing");
        assertThat(row).contains("unique index");
    }

    @Test
    void jsonIsTheHttpApisReportAndKeepsTheExitStatus() throws Exception {
        failOneRefresh();

        CliResult result = cli.run("matviews", "status", "--json", "--behind-threshold", "PT30S");

        assertThat(result.exitCode()).isEqualTo(5);
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("status").asText()).isEqualTo("unhealthy");
        assertThat(json.get("behindThresholdMs").asLong()).isEqualTo(30_000);
        assertThat(json.get("unhealthy").get(0).get("problems").toString()).isEqualTo("[\"failing\"]");
    }

    @Test
    void aBadThresholdIsAUsageError() {
        CliResult result = cli.run("matviews", "status", "--behind-threshold", "soon");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("'soon' is not a duration");
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
