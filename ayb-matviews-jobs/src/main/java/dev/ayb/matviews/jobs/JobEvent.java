package dev.ayb.matviews.jobs;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A job or a schedule as it is after a change noticed by {@link JobEvents}: created, claimed, finished, retried,
 * canceled (jobs); created, updated, fired (schedules). Exactly one of {@code job} and {@code schedule} is set.
 */
public record JobEvent(Kind kind, @Nullable Job job, @Nullable Schedule schedule) {
    public enum Kind {
        JOB,
        SCHEDULE;

        /** The event name on the wire ({@code job}, {@code schedule}). */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public JobEvent {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.JOB) != (job != null) || (kind == Kind.SCHEDULE) != (schedule != null)) {
            throw new IllegalArgumentException("a " + kind.wireName() + " event carries a " + kind.wireName());
        }
    }

    public static JobEvent of(Job job) {
        return new JobEvent(Kind.JOB, job, null);
    }

    public static JobEvent of(Schedule schedule) {
        return new JobEvent(Kind.SCHEDULE, null, schedule);
    }
}
