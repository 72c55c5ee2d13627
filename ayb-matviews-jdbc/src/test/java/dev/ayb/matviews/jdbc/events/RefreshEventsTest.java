package dev.ayb.matviews.jdbc.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.EventDelivery;
import dev.ayb.matviews.EventSubscription;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Refresh events across instances on a real PostgreSQL: instance A subscribes, instance B (its own pool)
 * refreshes; both pool settings, both deliveries.
 */
// Subscriptions are held open by try-with-resources for the body of each test, never referenced in it.
@SuppressWarnings("try")
class RefreshEventsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final QualifiedName LEADERBOARD = QualifiedName.parse("public.leaderboard");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    static AybMatviews instance(boolean autoCommit, EventDelivery delivery) {
        return AybMatviews.builder().dataSource(PG.newDataSource(3, autoCommit)).eventDelivery(delivery)
                .eventPollInterval(Duration.ofMillis(200)).build();
    }

    private static RefreshEvent next(BlockingQueue<RefreshEvent> events) throws InterruptedException {
        RefreshEvent event = events.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("an event within %s", PATIENCE).isNotNull();
        return event;
    }

    private static long latestRunId() {
        return PG.queryLong("SELECT max(id) FROM ayb.matview_refresh_runs");
    }

    @ParameterizedTest(name = "autoCommit={0}")
    @ValueSource(booleans = {true, false})
    void aRefreshOnInstanceBIsReceivedOnInstanceA(boolean autoCommit) throws InterruptedException {
        AybMatviews a = instance(autoCommit, EventDelivery.LISTEN);
        AybMatviews b = instance(autoCommit, EventDelivery.LISTEN);
        b.registry().register(LEADERBOARD);
        // Tracked, so that a refresh "only if changed" can find it current and skip.
        b.registry().updateChangeTracking("public.leaderboard", true);
        BlockingQueue<RefreshEvent> events = new LinkedBlockingQueue<>();
        try (EventSubscription ignored = a.events().subscribe(LEADERBOARD, events::add)) {
            b.refreshes().refresh("public.leaderboard");

            RefreshEvent event = next(events);
            assertThat(event.kind()).isEqualTo(RefreshEvent.Kind.REFRESH);
            assertThat(event.view()).isEqualTo(LEADERBOARD);
            assertThat(event.status()).isEqualTo(RefreshStatus.SUCCESS);
            assertThat(event.skipped()).isFalse();
            assertThat(event.id()).isEqualTo(latestRunId());
            assertThat(event.lastRefreshAt()).isNotNull();
            assertThat(event.lastSuccessAt()).isNotNull();

            b.refreshes().refresh("public.leaderboard", true);
            RefreshEvent skipped = next(events);
            assertThat(skipped.skipped()).isTrue();
            assertThat(skipped.id()).isGreaterThan(event.id());
        }
    }

    @ParameterizedTest(name = "autoCommit={0}")
    @ValueSource(booleans = {true, false})
    void aRefreshWhoseRecordRollsBackIsNeverAnnounced(boolean autoCommit) throws InterruptedException {
        SampleSchema.createViewWithoutIndex(PG, "doomed");
        AybMatviews a = instance(autoCommit, EventDelivery.LISTEN);
        AybMatviews b = instance(autoCommit, EventDelivery.LISTEN);
        // The record of a refresh of "doomed" fails at commit, after its statement (and its NOTIFY) ran.
        PG.execute("CREATE FUNCTION public.refuse_run() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$BEGIN RAISE EXCEPTION 'run refused at commit'; END$$",
                "CREATE CONSTRAINT TRIGGER refuse_doomed AFTER INSERT ON ayb.matview_refresh_runs"
                        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.view_name = 'doomed')"
                        + " EXECUTE FUNCTION public.refuse_run()");
        b.registry().register(QualifiedName.parse("public.doomed"));
        b.registry().register(LEADERBOARD);
        BlockingQueue<RefreshEvent> events = new LinkedBlockingQueue<>();
        try (EventSubscription ignored = a.events().subscribe(events::add)) {
            assertThatThrownBy(() -> b.refreshes().refresh("public.doomed")).isInstanceOf(MatviewException.class);
            b.refreshes().refresh("public.leaderboard");

            assertThat(next(events).view()).isEqualTo(LEADERBOARD);
            assertThat(events).isEmpty();
            assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_refresh_runs WHERE view_name = 'doomed'"))
                    .isZero();
        }
    }

    @ParameterizedTest(name = "autoCommit={0}")
    @ValueSource(booleans = {true, false})
    void pollingDeliversTheSameSequenceAsListening(boolean autoCommit) throws InterruptedException {
        AybMatviews listening = instance(autoCommit, EventDelivery.LISTEN);
        AybMatviews polling = instance(autoCommit, EventDelivery.POLL);
        AybMatviews writer = instance(autoCommit, EventDelivery.AUTO);
        writer.registry().register(LEADERBOARD);
        BlockingQueue<RefreshEvent> heard = new LinkedBlockingQueue<>();
        BlockingQueue<RefreshEvent> polled = new LinkedBlockingQueue<>();
        try (EventSubscription one = listening.events().subscribe(heard::add);
             EventSubscription two = polling.events().subscribe(polled::add)) {
            for (int i = 0; i < 5; i++) {
                writer.refreshes().refresh("public.leaderboard");
            }
            List<Long> heardIds = List.of(next(heard).id(), next(heard).id(), next(heard).id(), next(heard).id(),
                    next(heard).id());
            List<Long> polledIds = List.of(next(polled).id(), next(polled).id(), next(polled).id(),
                    next(polled).id(), next(polled).id());
            assertThat(polledIds).isEqualTo(heardIds).isSorted();
            assertThat(listening.activeEventDelivery()).isEqualTo(EventDelivery.LISTEN);
            assertThat(polling.activeEventDelivery()).isEqualTo(EventDelivery.POLL);
        }
    }

    @Test
    void autoListensWhenNotificationsArrive() throws InterruptedException {
        AybMatviews a = instance(true, EventDelivery.AUTO);
        BlockingQueue<RefreshEvent> events = new LinkedBlockingQueue<>();
        try (EventSubscription ignored = a.events().subscribe(events::add)) {
            Await.until("listening", () -> a.activeEventDelivery() == EventDelivery.LISTEN, PATIENCE);
        }
    }

    @Test
    void afterTheListeningConnectionIsLostNothingRecordedMeanwhileIsMissed() throws InterruptedException {
        AybMatviews a = instance(true, EventDelivery.LISTEN);
        AybMatviews b = instance(true, EventDelivery.LISTEN);
        b.registry().register(LEADERBOARD);
        BlockingQueue<RefreshEvent> events = new LinkedBlockingQueue<>();
        try (EventSubscription ignored = a.events().subscribe(events::add)) {
            Await.until("listening", () -> a.activeEventDelivery() == EventDelivery.LISTEN, PATIENCE);
            PG.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE query = 'LISTEN ayb_matviews_events' AND pid <> pg_backend_pid()");
            long first = latestRunIdAfter(b);
            long second = latestRunIdAfter(b);
            long third = latestRunIdAfter(b);

            assertThat(List.of(next(events).id(), next(events).id(), next(events).id()))
                    .containsExactly(first, second, third);
            assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    private static long latestRunIdAfter(AybMatviews instance) {
        instance.refreshes().refresh("public.leaderboard");
        return latestRunId();
    }

    @Test
    void replayReadsWhatWasRecordedAfterAnIdFromTheHistory() {
        AybMatviews a = instance(true, EventDelivery.POLL);
        a.registry().register(LEADERBOARD);
        long first = latestRunIdAfter(a);
        long second = latestRunIdAfter(a);
        long third = latestRunIdAfter(a);

        assertThat(a.events().replay(first, LEADERBOARD, 10)).extracting(RefreshEvent::id)
                .containsExactly(second, third);
        assertThat(a.events().replay(first, null, 1)).extracting(RefreshEvent::id).containsExactly(second);
        assertThat(a.events().replay(first, QualifiedName.parse("public.other"), 10)).isEmpty();
    }

    @Test
    void aWriteToATrackedViewsSourceIsAnnouncedAsBehind() throws InterruptedException {
        AybMatviews a = instance(true, EventDelivery.LISTEN);
        a.registry().register(LEADERBOARD);
        a.registry().updateChangeTracking("public.leaderboard", true);
        a.refreshes().refresh("public.leaderboard");
        BlockingQueue<RefreshEvent> events = new LinkedBlockingQueue<>();
        try (EventSubscription ignored = a.events().subscribe(LEADERBOARD, events::add)) {
            PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 10)");

            RefreshEvent behind = next(events);
            assertThat(behind.kind()).isEqualTo(RefreshEvent.Kind.BEHIND);
            assertThat(behind.behindSince()).isNotNull();
            assertThat(behind.id()).isEqualTo(latestRunId());
        }
    }

    @Test
    void aConsumerThatThrowsKeepsItsSubscriptionAndOthersTheirs() throws InterruptedException {
        AybMatviews a = instance(true, EventDelivery.LISTEN);
        a.registry().register(LEADERBOARD);
        BlockingQueue<RefreshEvent> events = new LinkedBlockingQueue<>();
        try (EventSubscription failing = a.events().subscribe(event -> {
            throw new IllegalStateException("consumer bug");
        }); EventSubscription ignored = a.events().subscribe(events::add)) {
            a.refreshes().refresh("public.leaderboard");
            a.refreshes().refresh("public.leaderboard");
            assertThat(next(events).id()).isLessThan(next(events).id());
        }
    }
}
