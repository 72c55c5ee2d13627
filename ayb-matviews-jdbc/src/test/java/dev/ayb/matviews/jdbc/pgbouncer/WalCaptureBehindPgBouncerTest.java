package dev.ayb.matviews.jdbc.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.testkit.PgBouncerExtension;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Change capture from the WAL behind PgBouncer in transaction pooling: each read of freshness is several
 * transactions (the flush, the markers, moving the slot on), which the proxy may run on different backends, and the
 * slot's lock is transaction-level, so they must hold together without any session state.
 */
class WalCaptureBehindPgBouncerTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PgBouncerExtension BOUNCER = PgBouncerExtension.transactionPooling(PG, 2);

    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private AybMatviews instanceA;
    private AybMatviews instanceB;

    @BeforeEach
    void twoInstancesThroughTheProxy() {
        PG.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE database = current_database()", "DROP PUBLICATION IF EXISTS ayb_matviews_changes");
        SampleSchema.create(PG);
        instanceA = AybMatviews.builder().dataSource(BOUNCER.dataSource("wal-a", 4))
                .lockMode(AdvisoryLockMode.TRANSACTION).changeCapture(ChangeCapture.WAL).build();
        instanceB = AybMatviews.builder().dataSource(BOUNCER.dataSource("wal-b", 4))
                .lockMode(AdvisoryLockMode.TRANSACTION).changeCapture(ChangeCapture.WAL).build();
        instanceA.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.STANDARD,
                RefreshTimeouts.NONE, true);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void everyReaderOnEitherInstanceSeesEachCommittedWriteAndRefreshesSkipOnlyWhenNothingChanged() throws Exception {
        instanceB.refreshes().refresh("public.leaderboard");
        assertThat(instanceA.freshness().of("public.leaderboard")).isEqualTo(Freshness.current());
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        for (int round = 0; round < 10; round++) {
            PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, " + round + ")");
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                AybMatviews instance = r % 2 == 0 ? instanceA : instanceB;
                readers.add(threads.submit(() -> {
                    Freshness freshness = instance.freshness().of("public.leaderboard");
                    if (freshness.state() != Freshness.State.BEHIND || freshness.reason() != null) {
                        wrong.add(freshness.toString());
                    }
                }));
            }
            for (Future<?> reader : readers) {
                reader.get(30, TimeUnit.SECONDS);
            }
            AybMatviews refresher = round % 2 == 0 ? instanceA : instanceB;
            assertThat(refresher.refreshes().refresh("public.leaderboard", true).skipped()).isFalse();
            assertThat(refresher.refreshes().refresh("public.leaderboard", true).skipped()).isTrue();
        }
        assertThat(wrong).as("every read after a committed write finds it, and none fails").isEmpty();
        assertThat(PG.libraryLocksHeld()).isZero();
    }
}
