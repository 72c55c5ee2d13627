package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code register --target-lag}, {@code update --target-lag <duration|none>} and the list's TARGET and LAG. */
class MatviewsTargetLagCommandTest {
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

    @Test
    void registerWithATargetSaysSoAndStoresIt() {
        CliResult result = cli.run("matviews", "register", "--view", "leaderboard", "--change-tracking",
                "--target-lag", "30s");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("Registered public.leaderboard (standard, change tracking on, target lag"
                + " 30000ms) with id " + leaderboard().id() + "\n");
        assertThat(leaderboard().targetLagMs()).isEqualTo(30_000L);
    }

    @Test
    void updateChangesTheTargetAndNoneRemovesIt() {
        cli.registerLeaderboard();

        CliResult set = cli.run("matviews", "update", "public.leaderboard", "--target-lag", "5m");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).isEqualTo("Updated public.leaderboard: target lag is now 300000ms\n");
        assertThat(leaderboard().targetLagMs()).isEqualTo(300_000L);

        CliResult none = cli.run("matviews", "update", "public.leaderboard", "--target-lag=none");
        assertThat(none.out()).isEqualTo("Updated public.leaderboard: target lag is now none\n");
        assertThat(leaderboard().targetLagMs()).isNull();
    }

    @Test
    void aZeroOrUnreadableTargetIsRefusedAndChangesNothing() {
        cli.registerLeaderboard();

        CliResult zero = cli.run("matviews", "update", "public.leaderboard", "--target-lag", "0");
        CliResult unreadable = cli.run("matviews", "update", "public.leaderboard", "--target-lag", "soon");

        assertThat(zero.exitCode()).isNotZero();
        assertThat(zero.err()).contains("targetLagMs must be positive");
        assertThat(unreadable.exitCode()).isNotZero();
        assertThat(leaderboard().targetLagMs()).isNull();
    }

    @Test
    void theListEndsWithTheTargetAndTheLag() {
        cli.run("matviews", "register", "--view", "leaderboard", "--change-tracking", "--target-lag", "30s");
        cli.run("matviews", "refresh", "public.leaderboard");

        String[] lines = cli.run("matviews", "list").out().split("\n");

        assertThat(lines[0]).endsWith("FRESHNESS  TARGET   LAG");
        assertThat(lines[1]).endsWith("current    30000ms  0ms");
    }
}
