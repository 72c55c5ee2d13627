package dev.ayb.matviews.jdbc.internal;

/**
 * The PostgreSQL notification channel on which recorded runs are announced. One name for every library schema
 * in a database: an instance woken by another schema's run reads its own history and finds nothing new, which
 * costs one indexed query, while a name derived from the schema could exceed the 63 bytes a channel may have.
 */
public final class EventChannel {
    public static final String NAME = "ayb_matviews_events";

    private EventChannel() {
    }
}
