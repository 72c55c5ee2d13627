package dev.ayb.matviews.jdbc.reliability;

import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.Figures;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several application instances starting at the same moment against a database the library has not seen. */
@Tag("reliability")
@ExtendWith(Figures.class)
class ConcurrentMigrationTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    private static final int INSTANCES = 8;
    private static final int ROUNDS = 5;

    @Test
    void instancesMigratingAtOnceEndWithOneSchemaAndNoError() throws Exception {
        List<HikariDataSource> pools = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            pools.add(HYGIENE.pool("instance-" + i, 1));
        }
        ExecutorService starters = Executors.newFixedThreadPool(INSTANCES);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                SampleSchema.create(PG);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<AybMatviews>> starts = new ArrayList<>();
                for (HikariDataSource pool : pools) {
                    starts.add(starters.submit(() -> {
                        go.await();
                        return AybMatviews.builder().dataSource(pool).build();
                    }));
                }
                go.countDown();
                List<AybMatviews> instances = new ArrayList<>();
                for (Future<AybMatviews> start : starts) {
                    instances.add(start.get(60, TimeUnit.SECONDS));
                }
                Figures.operations(INSTANCES);

                assertThat(PG.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'ayb'")).isEqualTo(1);
                assertThat(PG.queryString("SELECT string_agg(version::text, ',' ORDER BY version)"
                        + " FROM ayb.schema_history")).isEqualTo(SchemaMigrator.MIGRATIONS.stream()
                        .map(m -> Integer.toString(m.version())).collect(Collectors.joining(",")));
                assertThat(PG.queryLong("SELECT count(*) FROM pg_tables WHERE schemaname = 'ayb'"))
                        .isEqualTo(LibrarySchema.TABLES.size() + 1);
                // Every instance works on the schema they made together.
                instances.get(0).registry().register(QualifiedName.parse("leaderboard"));
                for (AybMatviews instance : instances) {
                    assertThat(instance.registry().get("leaderboard").refreshMode()).isEqualTo(RefreshMode.STANDARD);
                }
                assertThat(instances.get(INSTANCES - 1).refreshes().refresh("leaderboard").registration()
                        .lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
            }
        } finally {
            starters.shutdownNow();
        }
    }
}
