package dev.ayb.matviews.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.jdbc.SchemaStatus;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ayb migrate}, {@code ayb schema status}, and {@code --no-migrate} for roles that may not create anything:
 * one without CREATE on the database or the library's schema, and one whose transactions are read-only.
 */
class SchemaAndLeastPrivilegeTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** Roles belong to the whole server, which other test classes share: the names are this run's own. */
    private static final String SUFFIX = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private static final String READER = "ayb_reader_" + SUFFIX;
    private static final String READ_ONLY = "ayb_read_only_" + SUFFIX;

    private final Cli cli = Cli.on(PG);

    @BeforeAll
    static void roles() {
        PG.execute("CREATE ROLE " + READER + " LOGIN", "CREATE ROLE " + READ_ONLY + " LOGIN",
                "ALTER ROLE " + READ_ONLY + " SET default_transaction_read_only = on");
    }

    @AfterAll
    static void dropRoles() {
        PG.execute("DROP OWNED BY " + READER + ", " + READ_ONLY, "DROP ROLE " + READER, "DROP ROLE " + READ_ONLY);
    }

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
        PG.execute("REVOKE CREATE ON DATABASE \"" + PG.databaseName() + "\" FROM PUBLIC",
                "GRANT CREATE ON DATABASE \"" + PG.databaseName() + "\" TO " + READ_ONLY,
                "GRANT USAGE ON SCHEMA public TO " + READER + ", " + READ_ONLY,
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + READER + ", " + READ_ONLY);
    }

    @Test
    void statusOfAFreshDatabaseListsEveryMigrationAsPendingAndExitsSeven() {
        CliResult result = cli.run("schema", "status");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
        assertThat(result.out()).startsWith("Schema ayb: " + libraryMigrations().size()
                + " pending migrations; run 'ayb migrate'.\n"
                + "VERSION  DESCRIPTION            STATE    INSTALLED\n"
                + "V1       matview_registrations  pending  -\n");
        assertThat(PG.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'ayb'")).isZero();
    }

    @Test
    void migrateAppliesThePendingMigrationsOnceAndStatusThenSaysUpToDate() throws Exception {
        CliResult first = cli.run("migrate");
        CliResult second = cli.run("migrate");
        CliResult status = cli.run("schema", "status", "--json");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("Applied " + namesOfLibraryMigrations() + " to schema ayb.\n");
        assertThat(second.out()).isEqualTo("Schema ayb is up to date; nothing to apply.\n");
        assertThat(status.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(status.out());
        assertThat(json.get("upToDate").asBoolean()).isTrue();
        assertThat(json.get("applied").findValuesAsText("description"))
                .containsExactlyElementsOf(libraryMigrations().stream().map(SchemaStatus.Version::description).toList());
        assertThat(json.get("applied").get(0).get("installedAt").asText()).isNotEmpty();
        assertThat(json.get("pending")).isEmpty();
    }

    @Test
    void migrateJsonNamesWhatItApplied() throws Exception {
        CliResult result = cli.run("migrate", "--json");

        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("appliedNow")).hasSize(libraryMigrations().size());
        assertThat(json.get("schema").asText()).isEqualTo("ayb");
    }

    @Test
    void migrateWithNoMigrateIsAUsageError() {
        CliResult result = cli.run("migrate", "--no-migrate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("Error: --no-migrate cannot be combined with migrate\n");
    }

    @Test
    void noMigrateRefusesASchemaThatLacksMigrationsWithoutCreatingAnything() {
        Map<String, String> environment = new HashMap<>(cli.environment());
        environment.put("AYB_MIGRATE", "false");

        CliResult byOption = cli.run("matviews", "list", "--no-migrate");
        CliResult byEnvironment = Cli.runWith(environment, "matviews", "list");

        for (CliResult result : new CliResult[] {byOption, byEnvironment}) {
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).isEqualTo("Error: schema ayb lacks migrations " + namesOfLibraryMigrations()
                    + " and --no-migrate forbids applying them;"
                    + " run 'ayb migrate' as a role that may create tables in it\n");
        }
        assertThat(PG.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'ayb'")).isZero();
    }

    @Test
    void aRoleWithoutCreateReadsWithNoMigrateOnceTheSchemaIsMigrated() {
        cli.run("migrate");
        cli.run("matviews", "register", "--view", "leaderboard");
        cli.run("matviews", "refresh", "public.leaderboard");
        grantReading(READER);

        CliResult list = asRole(READER, "matviews", "list", "--no-migrate");
        CliResult status = asRole(READER, "matviews", "status", "--no-migrate");
        CliResult schema = asRole(READER, "schema", "status");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("leaderboard");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("public.leaderboard  healthy");
        assertThat(schema.exitCode()).as(schema.toString()).isZero();
    }

    @Test
    void aRoleWithoutCreateCannotMigrateAndIsToldWhatToDo() {
        CliResult result = asRole(READER, "matviews", "list");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
        assertThat(result.err()).startsWith("Error: database error while migrating schema ayb: permission denied")
                .contains("; run 'ayb migrate' as a role that may create tables in schema ayb, then use --no-migrate"
                        + " with this role\n");
    }

    @Test
    void aReadOnlyRoleReadsWithNoMigrateAndAWriteFailsClearly() {
        cli.run("migrate");
        cli.run("matviews", "register", "--view", "leaderboard");
        grantReading(READ_ONLY);
        PG.execute("GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ayb TO " + READ_ONLY);

        CliResult list = asRole(READ_ONLY, "matviews", "list", "--no-migrate");
        CliResult write = asRole(READ_ONLY, "matviews", "unregister", "public.leaderboard", "--no-migrate");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("leaderboard");
        assertThat(write.exitCode()).isEqualTo(1);
        assertThat(write.err()).startsWith("Error: ").contains("read-only transaction");
        assertThat(cli.library().registry().list()).hasSize(1);
    }

    @Test
    void aReadOnlyRoleCannotMigrateEvenWithCreateAndIsToldWhatToDo() {
        CliResult result = asRole(READ_ONLY, "matviews", "list");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(7);
        assertThat(result.err()).contains("read-only transaction").contains("run 'ayb migrate' as a role");
    }

    private void grantReading(String role) {
        PG.execute("GRANT USAGE ON SCHEMA ayb TO " + role, "GRANT SELECT ON ALL TABLES IN SCHEMA ayb TO " + role);
    }

    private CliResult asRole(String role, String... args) {
        Map<String, String> environment = new HashMap<>(cli.environment());
        environment.put("AYB_DATABASE_USER", role);
        return Cli.runWith(environment, args);
    }

    /** Every migration the library knows, as a fresh database lacks them: the expected texts follow new ones. */
    private static List<SchemaStatus.Version> libraryMigrations() {
        return SchemaStatus.read(PG.dataSource(), "ayb_never_created_" + SUFFIX).pending();
    }

    /** {@code V1 (matview_registrations), V2 (jobs), ...}, as the CLI names a list of migrations. */
    private static String namesOfLibraryMigrations() {
        return libraryMigrations().stream().map(v -> "V" + v.version() + " (" + v.description() + ")")
                .collect(Collectors.joining(", "));
    }
}
