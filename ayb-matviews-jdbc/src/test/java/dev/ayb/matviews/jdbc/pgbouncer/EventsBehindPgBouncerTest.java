package dev.ayb.matviews.jdbc.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.EventDelivery;
import dev.ayb.matviews.EventSubscription;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PgBouncerExtension;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind PgBouncer in transaction pooling a {@code LISTEN} is accepted but its notifications never reach the
 * client: {@code AUTO} finds out with its probe and polls the history, and events still arrive.
 */
class EventsBehindPgBouncerTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PgBouncerExtension BOUNCER = PgBouncerExtension.transactionPooling(PG, 2);

    @Test
    void autoFallsBackToPollingAndStillDeliversEveryRefresh() throws InterruptedException {
        SampleSchema.create(PG);
        AybMatviews proxied = AybMatviews.builder().dataSource(BOUNCER.dataSource("subscriber", 3))
                .lockMode(AdvisoryLockMode.TRANSACTION).eventPollInterval(Duration.ofMillis(200)).build();
        AybMatviews direct = AybMatviews.builder().dataSource(PG.newDataSource(2)).build();
        direct.registry().register(QualifiedName.parse("public.leaderboard"));
        BlockingQueue<RefreshEvent> events = new LinkedBlockingQueue<>();
        EventSubscription subscription = proxied.events().subscribe(events::add);
        try {
            direct.refreshes().refresh("public.leaderboard");
            direct.refreshes().refresh("public.leaderboard");

            RefreshEvent first = events.poll(10, TimeUnit.SECONDS);
            RefreshEvent second = events.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(second.id()).isGreaterThan(first.id());
            assertThat(proxied.activeEventDelivery()).isEqualTo(EventDelivery.POLL);
        } finally {
            subscription.close();
        }
    }
}
