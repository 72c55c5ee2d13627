package dev.ayb.matviews.jobs;

import java.util.Locale;

/** Where a job is in its life; the wire names are the lower-case constant names. */
public enum JobState {
    QUEUED, RUNNING, COMPLETED, FAILED, CANCELED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState fromWire(String text) {
        for (JobState state : values()) {
            if (state.wireName().equals(text)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown job state: " + text);
    }

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    @Override
    public String toString() {
        return wireName();
    }
}
