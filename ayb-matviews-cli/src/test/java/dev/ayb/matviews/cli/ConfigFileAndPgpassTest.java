package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;
import org.postgresql.jdbcurlresolver.PgPassParser;

/** Settings from {@code ~/.ayb/cli.properties} or {@code --config}, and passwords from {@code .pgpass}. */
class ConfigFileAndPgpassTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** Nothing listens on port 1, so connecting fails at once. */
    private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/app";

    private final Cli cli = Cli.on(PG);

    @TempDir
    Path home;

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
        cli.registerLeaderboard();
    }

    @Test
    void theDefaultFileUnderHomeGivesTheConnection() throws IOException {
        write(home.resolve(".ayb/cli.properties"), "database-url=" + PG.jdbcUrl(), "user=" + PG.user());

        CliResult result = Cli.runWith(Map.of("HOME", home.toString()), "matviews", "list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("leaderboard");
    }

    @Test
    void configNamesAnotherFileAndItsKeysAreTheOptionsNames() throws IOException {
        Path file = home.resolve("staging.properties");
        write(file, "database-url=" + PG.jdbcUrl(), "user=" + PG.user(), "ayb-schema=ayb_tools", "no-migrate=true");

        CliResult result = Cli.runWith(Map.of(), "--config", file.toString(), "matviews", "list");

        // no-migrate from the file: the ayb_tools schema does not exist and may not be created.
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
        assertThat(result.err()).startsWith("Error: schema ayb_tools lacks migrations ");
    }

    /** The file's no-migrate is every command's default, but migrate is the explicit request to migrate. */
    @Test
    void migrateAppliesMigrationsAlthoughTheFileSaysNoMigrate() throws IOException {
        Path file = home.resolve("tools.properties");
        write(file, "database-url=" + PG.jdbcUrl(), "user=" + PG.user(), "ayb-schema=ayb_migrated", "no-migrate=true");

        CliResult migrate = Cli.runWith(Map.of(), "--config", file.toString(), "migrate");
        CliResult list = Cli.runWith(Map.of(), "--config", file.toString(), "matviews", "list");
        CliResult refused = Cli.runWith(Map.of(), "--config", file.toString(), "--no-migrate", "migrate");

        assertThat(migrate.exitCode()).as(migrate.toString()).isZero();
        assertThat(migrate.out()).startsWith("Applied ").endsWith(" to schema ayb_migrated.\n");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).startsWith("Error: --no-migrate cannot be combined with migrate\n");
    }

    @Test
    void theEnvironmentAndTheOptionsWinOverTheFile() throws IOException {
        Path file = home.resolve("cli.properties");
        write(file, "database-url=" + UNREACHABLE, "user=" + PG.user());

        CliResult environmentWins = Cli.runWith(Map.of("AYB_DATABASE_URL", PG.jdbcUrl()), "matviews", "list",
                "--config=" + file);
        CliResult optionWins = Cli.runWith(Map.of(), "matviews", "list", "--config", file.toString(),
                "--database-url", PG.jdbcUrl());
        CliResult fileUsed = Cli.runWith(Map.of(), "matviews", "list", "--config", file.toString());

        assertThat(environmentWins.exitCode()).as(environmentWins.toString()).isZero();
        assertThat(optionWins.exitCode()).as(optionWins.toString()).isZero();
        assertThat(fileUsed.exitCode()).isEqualTo(6);
        assertThat(fileUsed.err()).startsWith("Error: cannot connect to PostgreSQL at 127.0.0.1:1/app: ");
    }

    @Test
    void aConfigFileThatCannotBeReadIsAUsageError() {
        Path missing = home.resolve("nope.properties");

        CliResult result = Cli.runWith(Map.of(), "--config", missing.toString(), "matviews", "list");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("Error: cannot read the config file " + missing + ": no such file\n");
    }

    @Test
    void helpNeverShowsAPasswordFromTheFile() throws IOException {
        write(home.resolve(".ayb/cli.properties"), "password=s3cret-do-not-print");

        CliResult result = Cli.runWith(Map.of("HOME", home.toString()), "matviews", "list", "--help");

        assertThat(result.out() + result.err()).doesNotContain("s3cret-do-not-print");
    }

    /**
     * The tool passes no password when none is given, and the driver then reads {@code .pgpass} ({@code PGPASSFILE},
     * else {@code ~/.pgpass}) for the host, port, database and user of the URL. The test server trusts every login,
     * so the lookup is checked where the driver makes it, with the file named by the driver's system property.
     */
    @Test
    void withoutAPasswordTheDriverFindsOneInPgpass() throws IOException {
        Properties url = Driver.parseURL(PG.jdbcUrl(), null);
        Path pgpass = home.resolve("pgpass");
        write(pgpass, "# host:port:database:user:password", "otherhost:*:*:*:wrong",
                url.getProperty("PGHOST") + ":" + url.getProperty("PGPORT") + ":*:" + PG.user() + ":from-pgpass");
        String previous = System.getProperty("org.postgresql.pgpassfile");
        System.setProperty("org.postgresql.pgpassfile", pgpass.toString());
        try {
            assertThat(PgPassParser.getPassword(url.getProperty("PGHOST"), url.getProperty("PGPORT"),
                    url.getProperty("PGDBNAME"), PG.user())).isEqualTo("from-pgpass");

            CliResult result = Cli.runWith(Map.of("AYB_DATABASE_URL", PG.jdbcUrl(), "AYB_DATABASE_USER", PG.user()),
                    "matviews", "list");
            assertThat(result.exitCode()).as(result.toString()).isZero();
        } finally {
            if (previous == null) {
                System.clearProperty("org.postgresql.pgpassfile");
            } else {
                System.setProperty("org.postgresql.pgpassfile", previous);
            }
        }
    }

    private static void write(Path file, String... lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, java.util.List.of(lines));
    }
}
