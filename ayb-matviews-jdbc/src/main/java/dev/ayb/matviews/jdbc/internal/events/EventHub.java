package dev.ayb.matviews.jdbc.internal.events;

import dev.ayb.matviews.EventDelivery;
import dev.ayb.matviews.EventSubscription;
import dev.ayb.matviews.FreshnessService;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.RefreshEvents;
import dev.ayb.matviews.jdbc.support.Connections;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.PgErrors;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's delivery of events to all of its subscriptions: a single daemon thread, running only while at
 * least one subscription is open, reads the run history after the last id it delivered, when a notification
 * arrives ({@code LISTEN}) or every poll interval (both modes: the poll is also the safety net of
 * {@code LISTEN}), and hands each new event to every matching subscription. After a lost connection it opens a
 * new one and reads the history from where it stopped, so nothing recorded meanwhile is missed.
 *
 * <p>The listening connection is borrowed from {@code listenConnections} while the thread runs and held until
 * the last subscription closes; the reads borrow a connection from {@code dataSource} for one query each.
 */
public final class EventHub implements RefreshEvents {
    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);
    private static final int BATCH = 500;
    private static final Duration GAP_LIFETIME = Duration.ofSeconds(10);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final DataSource listenConnections;
    private final HistoryEvents history;
    private final MatviewRegistry registry;
    private final FreshnessService freshness;
    private final EventDelivery delivery;
    private final Duration pollInterval;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private @Nullable Worker worker;

    public EventHub(DataSource dataSource, DataSource listenConnections, LibrarySchema schema,
                    MatviewRegistry registry, FreshnessService freshness, EventDelivery delivery,
                    Duration pollInterval) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.listenConnections = Objects.requireNonNull(listenConnections, "listenConnections");
        this.history = new HistoryEvents(schema);
        this.registry = registry;
        this.freshness = freshness;
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    @Override
    public EventSubscription subscribe(Consumer<RefreshEvent> consumer) {
        return add(new Subscriber(null, consumer));
    }

    @Override
    public EventSubscription subscribe(QualifiedName view, Consumer<RefreshEvent> consumer) {
        return add(new Subscriber(Objects.requireNonNull(view, "view"), consumer));
    }

    @Override
    public List<RefreshEvent> replay(long afterId, @Nullable QualifiedName view, int limit) {
        try {
            return Connections.withConnection(dataSource, connection -> history.replay(connection, afterId, view,
                    limit));
        } catch (SQLException e) {
            throw PgErrors.database("reading the refresh history", e);
        }
    }

    /** How events reach this instance now: {@code LISTEN}, or {@code POLL} (also while no subscription is open). */
    public synchronized EventDelivery activeDelivery() {
        return worker != null && worker.listening ? EventDelivery.LISTEN : EventDelivery.POLL;
    }

    private synchronized EventSubscription add(Subscriber subscriber) {
        if (worker == null) {
            // The starting point is read before subscribe returns: an event committed after it is delivered.
            Worker started = new Worker(startingId(), new BehindWatch(registry, freshness));
            started.watch.check(started.cursor.highest());
            worker = started;
            Thread thread = new Thread(started, "ayb-matviews-events");
            thread.setDaemon(true);
            thread.start();
        }
        subscribers.add(subscriber);
        return () -> remove(subscriber);
    }

    private synchronized void remove(Subscriber subscriber) {
        if (subscribers.remove(subscriber) && subscribers.isEmpty() && worker != null) {
            worker.stopped = true;
            worker = null;
        }
    }

    private long startingId() {
        try {
            return Connections.withConnection(dataSource, history::latestId);
        } catch (SQLException e) {
            throw PgErrors.database("reading the refresh history", e);
        }
    }

    private void deliver(RefreshEvent event) {
        for (Subscriber subscriber : subscribers) {
            subscriber.offer(event);
        }
    }

    private record Subscriber(@Nullable QualifiedName view, Consumer<RefreshEvent> consumer) {
        Subscriber {
            Objects.requireNonNull(consumer, "consumer");
        }

        void offer(RefreshEvent event) {
            if (view != null && !view.equals(event.view())) {
                return;
            }
            try {
                consumer.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("An event subscriber failed on event {} of {}", event.id(), event.view(), e);
            }
        }
    }

    /** The delivery thread's state; a worker told to stop finishes its current wait and ends. */
    private final class Worker implements Runnable {
        final EventCursor cursor;
        final BehindWatch watch;
        volatile boolean stopped;
        volatile boolean listening;
        private @Nullable NotificationListener listener;
        private boolean listenUnavailable = delivery == EventDelivery.POLL;

        Worker(long startingId, BehindWatch watch) {
            this.cursor = new EventCursor(startingId, GAP_LIFETIME);
            this.watch = watch;
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    try {
                        listenIfWanted();
                        catchUp();
                        watchSources();
                        waitForNews();
                    } catch (RuntimeException | SQLException e) {
                        LOG.warn("Reading refresh events failed; retrying in {}", pollInterval, e);
                        closeListener();
                        LockSupport.parkNanos(pollInterval.toNanos());
                    }
                }
            } finally {
                closeListener();
            }
        }

        private void listenIfWanted() throws SQLException {
            if (listener != null || listenUnavailable) {
                return;
            }
            NotificationListener opened;
            try {
                opened = NotificationListener.open(listenConnections);
            } catch (SQLException e) {
                if (delivery == EventDelivery.AUTO && !PgErrors.isConnectionFailure(e.getSQLState())) {
                    LOG.info("Events are polled: cannot LISTEN ({})", e.getMessage());
                    listenUnavailable = true;
                    return;
                }
                throw e;
            }
            if (delivery == EventDelivery.AUTO && !opened.probe(dataSource, PROBE_WAIT)) {
                LOG.info("Events are polled: notifications do not reach this connection (a transaction-pooling"
                        + " proxy?)");
                opened.close();
                listenUnavailable = true;
                return;
            }
            listener = opened;
            listening = true;
        }

        private void catchUp() throws SQLException {
            List<RefreshEvent> batch;
            do {
                Long[] gaps = cursor.gaps(Instant.now());
                batch = Connections.withConnection(dataSource, connection -> history.after(connection,
                        cursor.highest(), gaps, BATCH));
                for (RefreshEvent event : batch) {
                    if (cursor.accept(event.id(), Instant.now()) && !stopped) {
                        deliver(event);
                    }
                }
            } while (batch.size() == BATCH && !stopped);
        }

        private void watchSources() {
            for (RefreshEvent event : watch.check(cursor.highest())) {
                deliver(event);
            }
        }

        private void waitForNews() throws SQLException {
            if (listener != null) {
                listener.await(pollInterval);
            } else {
                LockSupport.parkNanos(pollInterval.toNanos());
            }
        }

        private void closeListener() {
            if (listener != null) {
                listener.close();
                listener = null;
            }
            listening = false;
        }
    }
}
