package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every {@code ayb} example of the seed's documentation, copied as written (the {@code <id>}
 * placeholders filled in), run in the order the documentation gives them.
 */
class SeedCliExamplesTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final Cli cli = Cli.on(PG);

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void theSeedsExamplesRunAsWritten() {
        CliResult register = ayb("ayb matviews register --view leaderboard --schema public --mode standard");
        assertThat(register.exitCode()).as(register.toString()).isZero();
        String id = cli.library().registry().get("public.leaderboard").id().toString();

        // The documentation's id is an example; it is not this database's registration.
        CliResult refreshExampleId = ayb("""
                # By registration ID
                ayb matviews refresh 550e8400-e29b-41d4-a716-446655440000""");
        assertThat(refreshExampleId.exitCode()).isEqualTo(4);
        assertThat(refreshExampleId.err()).isEqualTo("Error: matview registration not found\n");

        CliResult refreshById = ayb("ayb matviews refresh " + id);
        assertThat(refreshById.exitCode()).as(refreshById.toString()).isZero();
        assertThat(refreshById.out()).matches("Refreshed public\\.leaderboard in \\d+ms\n");

        CliResult refreshByName = ayb("""
                # By qualified name
                ayb matviews refresh public.leaderboard""");
        assertThat(refreshByName.exitCode()).as(refreshByName.toString()).isZero();
        assertThat(refreshByName.out()).matches("Refreshed public\\.leaderboard in \\d+ms\n");

        CliResult createSchedule = ayb("""
                ayb schedules create \\
                  --name leaderboard_hourly \\
                  --job-type materialized_view_refresh \\
                  --cron "0 * * * *" \\
                  --payload '{"schema": "public", "view_name": "leaderboard"}'""");
        assertThat(createSchedule.exitCode()).as(createSchedule.toString()).isZero();
        Schedule schedule = cli.schedules().get("leaderboard_hourly");
        assertThat(schedule.cronExpr()).isEqualTo("0 * * * *");
        assertThat(schedule.payload()).isEqualTo(Map.of("schema", "public", "view_name", "leaderboard"));

        CliResult list = ayb("ayb matviews list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains(id + "  public  leaderboard  standard  ").contains("  success");

        CliResult listJson = ayb("ayb matviews list --json");
        assertThat(listJson.exitCode()).as(listJson.toString()).isZero();
        assertThat(listJson.out()).contains("\"lastRefreshStatus\" : \"success\"");

        CliResult update = ayb("ayb matviews update " + id + " --mode concurrent");
        assertThat(update.exitCode()).as(update.toString()).isZero();
        assertThat(update.out()).isEqualTo("Updated public.leaderboard: refresh mode is now concurrent\n");
        Registration updated = cli.library().registry().get(id);
        assertThat(updated.refreshMode()).isEqualTo(RefreshMode.CONCURRENT);

        CliResult unregister = ayb("ayb matviews unregister " + id);
        assertThat(unregister.exitCode()).as(unregister.toString()).isZero();
        assertThat(unregister.out())
                .isEqualTo("Unregistered public.leaderboard (the materialized view itself was not dropped)\n");
        assertThat(cli.library().registry().list()).isEmpty();
        assertThat(cli.library().registry().discover()).singleElement()
                .satisfies(view -> assertThat(view.viewName()).isEqualTo("leaderboard"));
    }

    /** Runs an example: comment lines dropped, the leading {@code ayb} is the tool itself. */
    private CliResult ayb(String example) {
        String command = example.lines().filter(line -> !line.startsWith("#"))
                .reduce((a, b) -> a + "\n" + b).orElseThrow().strip();
        assertThat(command).startsWith("ayb ");
        return cli.runLine(command.substring("ayb ".length()));
    }
}
