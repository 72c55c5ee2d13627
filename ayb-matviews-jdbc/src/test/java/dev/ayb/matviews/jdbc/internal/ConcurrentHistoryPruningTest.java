package dev.ayb.matviews.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.spi.RunRecord;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Records of one view that do not take its registration row (skipped runs; a session-locked refresh's record
 * after its unlock, which lets the next refresh record at once) prune the same old history rows at the same time.
 * None of them may fail for it (a deadlock between two pruning DELETEs lost a record and made the session lock's
 * release look broken), and the history still ends at the retention.
 */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class ConcurrentHistoryPruningTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final int RETENTION = 3;
    private static final int WRITERS = 6;
    private static final int RECORDS_EACH = 150;

    @Parameter
    boolean autoCommit;

    @Test
    void concurrentRecordsOfOneViewAllLandAndPruneToTheRetention() throws Exception {
        SampleSchema.create(PG);
        LibrarySchema schema = new LibrarySchema(AybMatviews.DEFAULT_SCHEMA);
        DataSource dataSource = PG.newDataSource(WRITERS, autoCommit);
        new SchemaMigrator(dataSource, schema, AybMatviews.DEFAULT_LOCK_NAMESPACE).migrate();
        JdbcRegistrationStore store = new JdbcRegistrationStore(dataSource, schema, RETENTION);
        Registration registration = AybMatviews.builder().dataSource(dataSource).build().registry()
                .register(QualifiedName.parse("leaderboard"), RefreshMode.STANDARD);

        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            done.add(writers.submit(() -> {
                for (int i = 0; i < RECORDS_EACH; i++) {
                    Instant now = Instant.now();
                    store.recordRun(new RunRecord(registration.id(), registration.qualifiedName(),
                            RefreshMode.STANDARD, RefreshTrigger.MANUAL, now, now, 0, RefreshStatus.SKIPPED,
                            null, null));
                }
                return null;
            }));
        }
        for (Future<?> writer : done) {
            writer.get(2, TimeUnit.MINUTES); // rethrows a failed record
        }
        writers.shutdown();

        store.recordRun(new RunRecord(registration.id(), registration.qualifiedName(), RefreshMode.STANDARD,
                RefreshTrigger.MANUAL, Instant.now(), Instant.now(), 0, RefreshStatus.SKIPPED, null, null));
        assertThat(store.history(registration.id(), 100)).hasSize(RETENTION);
    }
}
