package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.testkit.Pools;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The library as a least-privilege deployment runs it: the application's role owns its views and may use the
 * library's schema, but may not create schemas (no {@code CREATE} on the database), and a reporting role may only
 * read. Roles are cluster-wide, so each test makes its own and drops them.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class LeastPrivilegeRolesTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final String owner = "ayb_owner_" + suffix;
    private final String reader = "ayb_reader_" + suffix;

    @BeforeEach
    void createRoles() {
        SampleSchema.create(PG);
        PG.execute("CREATE ROLE " + owner + " NOLOGIN", "CREATE ROLE " + reader + " NOLOGIN",
                "GRANT USAGE ON SCHEMA public TO " + owner + ", " + reader,
                "GRANT SELECT ON users, workouts TO " + owner,
                "ALTER MATERIALIZED VIEW leaderboard OWNER TO " + owner);
        assertThat(PG.queryString("SELECT has_database_privilege('" + owner + "', current_database(), 'CREATE')"))
                .as("the owner role may not create schemas").isEqualTo("f");
    }

    @AfterEach
    void dropRoles() {
        PG.execute("DROP SCHEMA IF EXISTS ayb CASCADE", "DROP SCHEMA IF EXISTS flyway_ayb CASCADE",
                "DROP OWNED BY " + owner + ", " + reader, "DROP ROLE " + owner + ", " + reader);
    }

    @Test
    void aRoleThatCannotCreateSchemasStartsWithMigrateOnAnUpToDateDatabaseAndRefreshesItsViews() {
        AybMatviews.builder().dataSource(PG.dataSource()).build();
        grantLibraryTables(owner, "SELECT, INSERT, UPDATE, DELETE");

        try (HikariDataSource asOwner = Pools.pool(PG, 2, "SET ROLE " + owner)) {
            AybMatviews matviews = AybMatviews.builder().dataSource(asOwner).build();
            matviews.registry().register(QualifiedName.parse("public.leaderboard"));

            assertThat(matviews.refreshes().refresh("public.leaderboard").registration().lastRefreshStatus())
                    .isEqualTo(RefreshStatus.SUCCESS);
            matviews.registry().unregister("public.leaderboard");
            Figures.operations(4);
        }
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_refresh_runs")).isZero();
    }

    @Test
    void aRoleThatCannotCreateSchemasInstallsIntoTheSchemaAnAdministratorMadeForIt() {
        PG.execute("CREATE SCHEMA ayb AUTHORIZATION " + owner);

        try (HikariDataSource asOwner = Pools.pool(PG, 2, "SET ROLE " + owner)) {
            AybMatviews matviews = AybMatviews.builder().dataSource(asOwner).build();
            matviews.registry().register(QualifiedName.parse("public.leaderboard"));
            Figures.operations(2);
        }
        assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'ayb' AND tableowner = '"
                + owner + "'")).isEqualTo(LibrarySchema.TABLES.size() + 1);
    }

    @Test
    void theShippedSqlRunsAsARoleThatCannotCreateSchemasOnceTheSchemaExists() throws Exception {
        PG.execute("CREATE SCHEMA flyway_ayb AUTHORIZATION " + owner);

        try (Connection connection = PG.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE " + owner);
            // What Flyway or Liquibase runs, as the application's role, with the placeholder set to flyway_ayb.
            for (SchemaMigrator.Migration migration : SchemaMigrator.MIGRATIONS) {
                statement.execute(shipped(migration).replace("${ayb_schema}", "flyway_ayb"));
            }
            Figures.operations(SchemaMigrator.MIGRATIONS.size());
        }

        assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'flyway_ayb' AND tableowner = '"
                + owner + "'")).isEqualTo(LibrarySchema.TABLES.size());
    }

    @Test
    void aReadOnlyRoleStartsWithMigrateAndReadsRegistrationsAndHistory() throws Exception {
        AybMatviews admin = AybMatviews.builder().dataSource(PG.dataSource()).build();
        admin.registry().register(QualifiedName.parse("public.leaderboard"));
        admin.refreshes().refresh("public.leaderboard");
        grantLibraryTables(reader, "SELECT");

        try (HikariDataSource asReader = Pools.pool(PG, 2, "SET ROLE " + reader)) {
            AybMatviews matviews = AybMatviews.builder().dataSource(asReader).build();

            assertThat(matviews.registry().get("public.leaderboard").lastRefreshStatus())
                    .isEqualTo(RefreshStatus.SUCCESS);
            assertThat(matviews.registry().list()).hasSize(1);
            assertThat(matviews.registry().history(ViewRef.parse("public.leaderboard"), 10)).hasSize(1);
            // The scheduler's tables too (AybJobs reads them through the same grants).
            try (Connection connection = asReader.getConnection(); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*) FROM ayb.job_schedules")) {
                row.next();
                assertThat(row.getLong(1)).isZero();
            }
            assertThatThrownBy(() -> matviews.registry().unregister("public.leaderboard"))
                    .isInstanceOfSatisfying(MatviewException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                        assertThat(e.sqlState()).contains("42501");
                    });
            Figures.operations(6);
        }
    }

    @Test
    void anUpToDateDatabaseIsCheckedWithoutWaitingForTheMigrationLock() throws Exception {
        AybMatviews.builder().dataSource(PG.dataSource()).build();

        try (Connection migrating = PG.connection(); Statement statement = migrating.createStatement();
             HikariDataSource impatient = Pools.pool(PG, 1, "SET lock_timeout = '1s'")) {
            statement.execute("SELECT pg_advisory_lock(" + AybMatviews.DEFAULT_LOCK_NAMESPACE + ", 0)");

            assertThat(AybMatviews.builder().dataSource(impatient).build().registry().list()).isEmpty();
            Figures.operations(2);
        }
    }

    @Test
    void aDatabaseMigratedByANewerLibraryIsRefusedAndLeftAlone() {
        AybMatviews.builder().dataSource(PG.dataSource()).build();
        int known = SchemaMigrator.MIGRATIONS.get(SchemaMigrator.MIGRATIONS.size() - 1).version();
        int newer = known + 3;
        PG.execute("INSERT INTO ayb.schema_history (version, description) VALUES (" + newer + ", 'from the future')");
        String before = PG.queryString("SELECT string_agg(version::text, ',' ORDER BY version) FROM ayb.schema_history");

        assertThatThrownBy(() -> AybMatviews.builder().dataSource(PG.dataSource()).build())
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                    assertThat(e.getMessage())
                            .isEqualTo("database schema is newer than this library: V" + newer + " > V" + known);
                });
        Figures.operations(1);
        assertThat(PG.queryString("SELECT string_agg(version::text, ',' ORDER BY version) FROM ayb.schema_history"))
                .isEqualTo(before);
    }

    private void grantLibraryTables(String role, String privileges) {
        PG.execute("GRANT USAGE ON SCHEMA ayb TO " + role,
                "GRANT " + privileges + " ON ALL TABLES IN SCHEMA ayb TO " + role);
    }

    private static String shipped(SchemaMigrator.Migration migration) throws Exception {
        try (var in = AybMatviews.class.getClassLoader().getResourceAsStream(migration.resource())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
