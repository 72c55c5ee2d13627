package dev.ayb.matviews;

/** How events recorded by other instances reach this one. */
public enum EventDelivery {
    /**
     * {@link #LISTEN} when the database delivers notifications to this instance's connection, checked when the
     * listening connection is opened; {@link #POLL} otherwise (e.g. through a transaction-pooling proxy, where a
     * {@code LISTEN} is accepted but its notifications never arrive).
     */
    AUTO,
    /**
     * PostgreSQL's {@code LISTEN}/{@code NOTIFY} on one dedicated connection: an event arrives as soon as its
     * refresh commits. The history is still read every poll interval as a safety net.
     */
    LISTEN,
    /** Read the refresh history every poll interval; no connection is held between reads. */
    POLL
}
