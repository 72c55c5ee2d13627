package dev.ayb.matviews.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.ReplicaExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads served from a real hot standby of the test server: the version and data age come from the replica's
 * own copy of the registration, in the statement that reads its rows; a replica behind its bound or down falls
 * back as configured. Under both pool settings, on the primary and the replica alike.
 */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class ReplicaReadTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    static final ReplicaExtension REPLICA = new ReplicaExtension(PG);

    private static final QualifiedName VIEW = QualifiedName.parse("public.replicated");
    private static final Duration LONG_AGO = Duration.ofHours(1);

    @Parameter
    boolean autoCommit;

    private AybMatviews matviews;
    private AybCollections primaryOnly;

    @BeforeEach
    void createView() {
        matviews = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).build();
        matviews.registry().find(VIEW.toString()).ifPresent(registered -> matviews.registry().unregister(
                ViewRef.of(registered.id())));
        PG.execute("DROP MATERIALIZED VIEW IF EXISTS replicated", "DROP TABLE IF EXISTS source_rows",
                "CREATE TABLE source_rows (id int PRIMARY KEY)",
                "INSERT INTO source_rows SELECT generate_series(1, 30)",
                "CREATE MATERIALIZED VIEW replicated AS SELECT id FROM source_rows",
                "CREATE UNIQUE INDEX replicated_id ON replicated (id)");
        matviews.registry().register(VIEW);
        matviews.refreshes().refresh(VIEW.toString());
        primaryOnly = AybCollections.of(matviews);
        REPLICA.waitForReplay();
    }

    @AfterEach
    void replicaBackToNormal() {
        if (REPLICA.replica().isRunning()) {
            REPLICA.resumeReplay();
        } else {
            // A restarted standby replays again: pausing does not outlive it.
            REPLICA.start();
        }
        REPLICA.waitForReplay();
    }

    /** On a pool of its own: a pool that lived through a replica restart holds dead connections at first. */
    private AybCollections fromReplica(Duration maxLag, ReadReplica.Fallback fallback) {
        return AybCollections.builder(matviews).replica(ReadReplica.of(REPLICA.newDataSource(2, autoCommit))
                .withMaxLag(maxLag).withFallback(fallback)).build();
    }

    private static VersionedPage read(AybCollections collections) {
        return collections.prepare(VIEW, CollectionQuery.builder().perPage(10).build()).read();
    }

    @Test
    void aRefreshOnThePrimaryIsServedByTheReplicaWithTheSameVersionOnceReplayed() {
        AybCollections collections = fromReplica(LONG_AGO, ReadReplica.Fallback.UNAVAILABLE);
        PG.execute("INSERT INTO source_rows SELECT generate_series(31, 45)");
        matviews.refreshes().refresh(VIEW.toString());
        REPLICA.waitForReplay();

        VersionedPage replica = read(collections);
        VersionedPage primary = read(primaryOnly);

        assertThat(replica.fromReplica()).isTrue();
        assertThat(primary.fromReplica()).isFalse();
        assertThat(replica.page().totalItems()).isEqualTo(45);
        assertThat(replica.version()).isNotNull().isEqualTo(primary.version());
        assertThat(replica.dataAsOf()).isEqualTo(matviews.registry().get(VIEW.toString()).lastSuccessAt());
        assertThat(replica.page().rows()).isEqualTo(primary.page().rows());
    }

    /** Paused replay: the replica answers with the rows it has and the version of those rows, never a mix. */
    @Test
    void aLaggingReplicaServesItsOldRowsWithTheirOldVersionWithinTheBound() {
        AybCollections collections = fromReplica(LONG_AGO, ReadReplica.Fallback.UNAVAILABLE);
        VersionedPage before = read(collections);
        REPLICA.pauseReplay();

        PG.execute("INSERT INTO source_rows SELECT generate_series(31, 45)");
        matviews.refreshes().refresh(VIEW.toString());
        VersionedPage lagging = read(collections);
        VersionedPage primary = read(primaryOnly);

        assertThat(lagging.fromReplica()).isTrue();
        assertThat(lagging.page().totalItems()).isEqualTo(30);
        assertThat(lagging.version()).isEqualTo(before.version());
        assertThat(lagging.dataAsOf()).isEqualTo(before.dataAsOf());
        assertThat(primary.page().totalItems()).isEqualTo(45);
        assertThat(primary.version()).isNotEqualTo(before.version());
        assertThat(collections.prepare(VIEW, CollectionQuery.builder().perPage(10).build()).version())
                .isEqualTo(lagging.dataVersion());
    }

    @Test
    void aReplicaFurtherBehindThanTheBoundFallsBackToThePrimary() throws Exception {
        REPLICA.pauseReplay();
        PG.execute("INSERT INTO source_rows SELECT generate_series(31, 45)");
        matviews.refreshes().refresh(VIEW.toString());
        awaitReceivedByReplica();
        Thread.sleep(50);

        VersionedPage page = read(fromReplica(Duration.ofMillis(10), ReadReplica.Fallback.PRIMARY));

        assertThat(page.fromReplica()).isFalse();
        assertThat(page.page().totalItems()).isEqualTo(45);
        assertThat(page.version()).isEqualTo(read(primaryOnly).version());
        assertThatThrownBy(() -> read(fromReplica(Duration.ofMillis(10), ReadReplica.Fallback.UNAVAILABLE)))
                .isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REPLICA_UNAVAILABLE));
    }

    /**
     * The replica's own measure, once WAL is pending, is the age of the last commit it replayed: after the
     * primary was quiet for longer than the bound, any new WAL would make it look that far behind. Seen caught up
     * just before, it is held to the time since; and still to the bound once replay stays paused past it.
     */
    @Test
    void aReplicaSeenCaughtUpIsNotHeldBehindByThePrimarysQuietTime() throws Exception {
        Duration bound = Duration.ofMillis(400);
        AybCollections collections = fromReplica(bound, ReadReplica.Fallback.UNAVAILABLE);
        long quietSince = System.nanoTime();
        Await.until("the primary to be quiet for longer than the bound",
                () -> System.nanoTime() - quietSince > 2 * bound.toNanos());
        assertThat(read(collections).fromReplica()).isTrue();
        long caughtUp = System.nanoTime();
        REPLICA.pauseReplay();

        awaitReceivedByReplica();
        VersionedPage pending = read(collections);
        Await.until("the replay to stay paused past the bound", () -> System.nanoTime() - caughtUp > 2 * bound.toNanos());

        assertThat(pending.fromReplica()).isTrue();
        assertThatThrownBy(() -> read(collections)).isInstanceOfSatisfying(MatviewException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.REPLICA_UNAVAILABLE));
        assertThatThrownBy(() -> read(fromReplica(bound, ReadReplica.Fallback.UNAVAILABLE)))
                .isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REPLICA_UNAVAILABLE));
    }

    @Test
    void aReplicaThatIsDownFallsBackAsConfigured() {
        AybCollections toPrimary = fromReplica(LONG_AGO, ReadReplica.Fallback.PRIMARY);
        AybCollections refusing = fromReplica(LONG_AGO, ReadReplica.Fallback.UNAVAILABLE);
        read(toPrimary);
        REPLICA.stop();

        VersionedPage page = read(toPrimary);

        assertThat(page.fromReplica()).isFalse();
        assertThat(page.page().totalItems()).isEqualTo(30);
        assertThatThrownBy(() -> read(refusing)).isInstanceOfSatisfying(MatviewException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.REPLICA_UNAVAILABLE));
        assertThat(toPrimary.count(VIEW, "id > 20")).isEqualTo(10);
    }

    /** Also after a restart, when the receive position starts again behind what was replayed from local WAL. */
    @Test
    void anIdleReplicaThatHasReplayedEverythingIsNotBehind() throws Exception {
        Thread.sleep(100);
        assertThat(read(fromReplica(Duration.ofMillis(1), ReadReplica.Fallback.UNAVAILABLE)).fromReplica()).isTrue();
        REPLICA.stop();
        REPLICA.start();
        REPLICA.waitForReplay();
        Thread.sleep(100);

        VersionedPage page = read(fromReplica(Duration.ofMillis(1), ReadReplica.Fallback.UNAVAILABLE));

        assertThat(page.fromReplica()).isTrue();
    }

    /** The primary's WAL so far has reached the replica (received, maybe not replayed). */
    private static void awaitReceivedByReplica() throws Exception {
        String flushed;
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit = on");
            statement.execute("SELECT pg_logical_emit_message(true, 'replica-read-test', '')");
            try (ResultSet row = statement.executeQuery("SELECT pg_current_wal_flush_lsn()::text")) {
                row.next();
                flushed = row.getString(1);
            }
        }
        Await.until("the replica to receive " + flushed, () -> {
            try (Connection connection = REPLICA.connection(); Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery(
                         "SELECT pg_last_wal_receive_lsn() >= '" + flushed + "'::pg_lsn")) {
                return row.next() && row.getBoolean(1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
