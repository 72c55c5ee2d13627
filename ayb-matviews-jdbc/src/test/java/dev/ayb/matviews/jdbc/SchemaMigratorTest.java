package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class SchemaMigratorTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The suite runs over pools with either setting; false is the Spring/JPA default. */
    @Parameter
    boolean autoCommit;

    @Test
    void instancesStartingTogetherCreateOneSchemaWithoutErrors() throws Exception {
        SampleSchema.reset(PG);
        int instances = 6;
        List<DataSource> pools = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            pools.add(PG.newDataSource(1, autoCommit));
        }
        ExecutorService starter = Executors.newFixedThreadPool(instances);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<AybMatviews>> started = new ArrayList<>();
            for (DataSource pool : pools) {
                started.add(starter.submit(() -> {
                    go.await();
                    return AybMatviews.builder().dataSource(pool).build();
                }));
            }
            go.countDown();
            for (Future<AybMatviews> instance : started) {
                assertThat(instance.get().registry().list()).isEmpty();
            }
        } finally {
            starter.shutdownNow();
        }
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.schema_history")).isEqualTo(SchemaMigrator.MIGRATIONS.size());
        assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'ayb'"))
                .isEqualTo(LibrarySchema.TABLES.size() + 1);
    }

    @Test
    void migrationLeftToTheHostFailsAtBuildNamingTheMissingTablesAndHowToCreateThem() {
        SampleSchema.reset(PG);
        PG.execute("CREATE SCHEMA ayb", "CREATE TABLE ayb.matview_registrations (id uuid)");

        assertThatThrownBy(() -> AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).migrate(false).build())
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                    assertThat(e.getMessage()).isEqualTo("ayb-matviews tables missing in schema ayb:"
                            + " matview_refresh_runs, job_schedules, jobs, matview_tracked_relations, matview_change_markers;"
                            + " create them with migrate(true), or run the"
                            + " SQL files in db/ayb-matviews/ of the ayb-matviews-jdbc jar (Flyway, Liquibase)");
                });
        assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'ayb'")).isEqualTo(1);
    }

    @Test
    void migrationCanBeLeftToTheHostOnceTheTablesExist() {
        SampleSchema.reset(PG);
        AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).build();
        PG.execute("DROP TABLE ayb.schema_history");

        AybMatviews hosted = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).migrate(false).build();

        assertThat(hosted.registry().list()).isEmpty();
        assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'ayb'"))
                .isEqualTo(LibrarySchema.TABLES.size());
    }

    @Test
    void theShippedSqlRunsOnItsOwnWithThePlaceholderReplaced() throws Exception {
        SampleSchema.reset(PG);
        for (SchemaMigrator.Migration migration : SchemaMigrator.MIGRATIONS) {
            String sql;
            try (var in = AybMatviews.class.getClassLoader().getResourceAsStream(migration.resource())) {
                sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            // What a Flyway user gets with placeholders.ayb_schema = flyway_ayb.
            PG.execute(sql.replace("${ayb_schema}", "flyway_ayb"));
        }

        assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'flyway_ayb'"))
                .isEqualTo(LibrarySchema.TABLES.size());
        PG.execute("DROP SCHEMA flyway_ayb CASCADE");
    }
}
