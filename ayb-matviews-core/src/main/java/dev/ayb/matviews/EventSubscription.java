package dev.ayb.matviews;

/** An open subscription to {@link RefreshEvents}; closing it stops its deliveries (closing twice is harmless). */
public interface EventSubscription extends AutoCloseable {
    @Override
    void close();
}
