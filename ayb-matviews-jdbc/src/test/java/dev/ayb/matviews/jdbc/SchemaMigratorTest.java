package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaMigratorTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void instancesStartingTogetherCreateOneSchemaWithoutErrors() throws Exception {
        SeedSchema.reset(PG);
        int instances = 6;
        List<DataSource> pools = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            pools.add(PG.newDataSource(1));
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
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.schema_history")).isEqualTo(2);
        assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'ayb'")).isEqualTo(5);
    }

    @Test
    void migrationCanBeLeftToTheHost() {
        SeedSchema.reset(PG);
        AybMatviews.builder().dataSource(PG.dataSource()).migrate(false).build();

        assertThat(PG.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'ayb'")).isZero();
    }

    @Test
    void theShippedSqlRunsOnItsOwnWithThePlaceholderReplaced() throws Exception {
        SeedSchema.reset(PG);
        for (String file : List.of("V1__matview_registrations.sql", "V2__jobs.sql")) {
            String sql;
            try (var in = AybMatviews.class.getClassLoader().getResourceAsStream("db/ayb-matviews/" + file)) {
                sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            // What a Flyway user gets with placeholders.ayb_schema = flyway_ayb.
            PG.execute(sql.replace("${ayb_schema}", "flyway_ayb"));
        }

        assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'flyway_ayb'")).isEqualTo(4);
        PG.execute("DROP SCHEMA flyway_ayb CASCADE");
    }
}
