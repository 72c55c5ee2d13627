package dev.ayb.matviews.cli.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.cli.Cli;
import dev.ayb.matviews.cli.CliResult;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings.Hostile;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code ayb} tool, run in-process with adversarial text in every argument that names a view, a schedule, a
 * cron expression, a mode or a payload: it always ends with one of its documented exit codes and a one-line
 * {@code Error:} (or picocli's usage message), never a stack trace or an "unexpected failure"; the sentinel
 * table and every relation are untouched. And no password given to it — flag, environment or URL — is ever
 * printed, whatever fails.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
// Runs the CLI once per hostile argument: about 35 s on 2 busy cores, too close to the suite default.
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HostileArgumentsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String SENTINEL = "SELECT count(*) || ':' || md5(string_agg(id || '=' || note, ','"
            + " ORDER BY id)) FROM sentinel";
    private static final String RELATIONS = "SELECT count(*) || ':' || md5(string_agg(c.oid::text || c.relname, ','"
            + " ORDER BY c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";

    @BeforeEach
    void seed() {
        SampleSchema.createMinimal(PG);
        SampleSchema.createSentinel(PG);
        assertThat(run("matviews", "register", "--view", "leaderboard").exitCode()).isZero();
    }

    @Test
    void hostileArgumentsEndWithADocumentedExitCodeAndAClearErrorNeverAStackTrace() {
        String sentinel = query(SENTINEL);
        String relations = query(RELATIONS);
        List<Function<String, String[]>> commands = List.of(
                x -> new String[] {"matviews", "register", "--view", x},
                x -> new String[] {"matviews", "register", "--view", "leaderboard", "--schema", x},
                x -> new String[] {"matviews", "refresh", x},
                x -> new String[] {"matviews", "update", x, "--mode", "standard"},
                x -> new String[] {"matviews", "update", "public.leaderboard", "--mode", x},
                x -> new String[] {"matviews", "history", x},
                x -> new String[] {"schedules", "create", "--name", "s", "--job-type", "materialized_view_refresh",
                    "--cron", x, "--payload", "{\"view_name\": \"leaderboard\"}"},
                x -> new String[] {"schedules", "create", "--name", "s", "--job-type", "materialized_view_refresh",
                    "--cron", "@daily", "--payload", x},
                x -> new String[] {"schedules", "run", x},
                x -> new String[] {"schedules", "show", x},
                x -> new String[] {"schedules", "preview", "--cron", x, "--timezone", "UTC"},
                x -> new String[] {"schedules", "preview", "--cron", "@daily", "--timezone", x},
                x -> new String[] {"matviews", "show", x},
                x -> new String[] {"matviews", "dependencies", x},
                x -> new String[] {"jobs", "show", x},
                x -> new String[] {"jobs", "list", "--type", x},
                x -> new String[] {"events", "--view", x});
        List<String> violations = new ArrayList<>();
        long tried = 0;
        List<Hostile> inputs = new HostileStrings(HostileStrings.seed()).inputs(HostileStrings.tries(20));
        for (int i = 0; i < inputs.size(); i++) {
            Hostile input = inputs.get(i);
            // Each run of the tool opens a pool and checks the schema (some ten milliseconds): every input goes
            // through four of the commands in turn, so each command sees a good quarter of them.
            for (int k = 0; k < 4; k++) {
                String[] args = commands.get((i + k * 2) % commands.size()).apply(input.text());
                CliResult result = run(args);
                tried++;
                String problem = problem(result);
                if (problem != null) {
                    violations.add(String.join(" ", List.of(args).subList(0, 2)) + " " + input + ": " + problem
                            + "\n" + result);
                }
                if (result.exitCode() == 0 && args[0].equals("schedules") && args[1].equals("create")) {
                    run("schedules", "delete", "s");
                }
            }
        }
        Figures.inputs(tried);

        assertThat(violations).as("%d violations", violations.size()).isEmpty();
        assertThat(query(SENTINEL)).isEqualTo(sentinel);
        assertThat(query(RELATIONS)).isEqualTo(relations);
    }

    @Test
    void aPasswordGivenByFlagEnvironmentOrUrlIsNeverPrinted() {
        String secret = "s3cr3t-" + Long.toHexString(HostileStrings.seed()) + "-pw";
        String unreachable = "jdbc:postgresql://127.0.0.1:1/nowhere?connectTimeout=2";
        List<CliResult> results = new ArrayList<>();
        Map<String, String> environment = Map.of("AYB_DATABASE_URL", PG.jdbcUrl(), "AYB_DATABASE_USER", PG.user(),
                "AYB_DATABASE_PASSWORD", secret);
        // Accepted (the test server trusts local connections), refused, unreachable; with and without --verbose.
        results.add(Cli.runWith(environment, "matviews", "list"));
        results.add(Cli.runWith(environment, "matviews", "refresh", "no_such_view", "--verbose"));
        results.add(Cli.runWith(Map.of(), "matviews", "list", "--database-url", PG.jdbcUrl()
                + (PG.jdbcUrl().contains("?") ? "&" : "?") + "password=" + secret, "--user", PG.user()));
        results.add(Cli.runWith(Map.of(), "matviews", "list", "--database-url", PG.jdbcUrl(), "--user", PG.user(),
                "--password", secret, "--verbose", "--json"));
        results.add(Cli.runWith(Map.of(), "matviews", "list", "--database-url", unreachable + "&password=" + secret));
        results.add(Cli.runWith(Map.of(), "matviews", "list", "--database-url", unreachable, "--password", secret,
                "--verbose"));
        results.add(Cli.runWith(Map.of("AYB_DATABASE_URL", unreachable, "AYB_DATABASE_PASSWORD", secret), "schedules",
                "list", "--verbose"));
        results.add(Cli.runWith(Map.of(), "matviews", "list", "--database-url", "not-a-url?password=" + secret));
        // libpq's user:password@host form, and a '&' typed where '?' was meant.
        results.add(Cli.runWith(Map.of(), "matviews", "list", "--database-url",
                "jdbc:postgresql://user:" + secret + "@127.0.0.1:1/nowhere"));
        results.add(Cli.runWith(Map.of(), "matviews", "list", "--database-url",
                "jdbc:postgresql://127.0.0.1:1/nowhere&password=" + secret));
        Figures.inputs(results.size());

        // 6: the server could not be reached.
        assertThat(results).extracting(CliResult::exitCode).containsExactly(0, 4, 0, 0, 6, 6, 6, 2, 2, 6);
        assertThat(results).allSatisfy(result -> assertThat(result.out() + result.err()).doesNotContain(secret));
    }

    /** Null when the run ended as documented; else what is wrong. */
    private static String problem(CliResult result) {
        if (result.exitCode() < 0 || result.exitCode() > 4) {
            return "exit code " + result.exitCode();
        }
        String all = result.out() + result.err();
        if (all.contains("\tat ") || all.contains("Exception") || all.contains("unexpected failure")) {
            return "a stack trace or an unexpected failure";
        }
        if (result.exitCode() != 0 && result.exitCode() != 2 && !result.err().startsWith("Error: ")) {
            return "no Error: line";
        }
        if (result.exitCode() == 2 && !(result.err().startsWith("Error: ") || result.err().contains("Usage:"))) {
            return "a usage error without a message";
        }
        return null;
    }

    private static CliResult run(String... args) {
        return Cli.on(PG).run(args);
    }

    private static String query(String sql) {
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

}
