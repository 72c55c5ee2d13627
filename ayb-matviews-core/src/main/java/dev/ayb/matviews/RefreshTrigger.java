package dev.ayb.matviews;

/** What asked for a refresh; kept in the run history so operators can tell scheduled runs from manual ones. */
public enum RefreshTrigger {
    /** A call through the Java API. */
    MANUAL("manual"),
    /** The admin HTTP API (and the dashboard, which uses it). */
    HTTP("http"),
    /** The command-line tool. */
    CLI("cli"),
    /** A scheduled job. */
    SCHEDULE("schedule"),
    /** Refreshed because a view it depends on, or that depends on it, was refreshed with a cascade. */
    CASCADE("cascade");

    private final String wireName;

    RefreshTrigger(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static RefreshTrigger fromWire(String text) {
        for (RefreshTrigger trigger : values()) {
            if (trigger.wireName.equals(text)) {
                return trigger;
            }
        }
        throw new IllegalArgumentException("unknown refresh trigger: " + text);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
