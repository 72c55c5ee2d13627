package dev.ayb.matviews.cli;

import dev.ayb.matviews.RefreshStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How values look in text output. JSON output does not use these: it keeps full precision. */
final class Display {
    static final String NONE = "-";

    private Display() {
    }

    /** ISO-8601 in UTC to the second, e.g. {@code 2026-02-22T10:00:00Z}. */
    static String timestamp(Instant instant) {
        return instant == null ? NONE : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * A time there is none of before a refresh (the last refresh; the data's "as of", which waits for a
     * successful one): {@code never} until then.
     */
    static String lastRun(Instant instant) {
        return instant == null ? "never" : timestamp(instant);
    }

    /**
     * How old something is, in its two largest units, e.g. {@code 2h 5m}, {@code 45s}: {@code never} when
     * {@code since} is null (the view has no data yet).
     */
    static String age(Instant since, Instant now) {
        if (since == null) {
            return "never";
        }
        long seconds = Math.max(0, Duration.between(since, now).getSeconds());
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length - 1; i++) {
            if (seconds >= sizes[i]) {
                long rest = seconds % sizes[i] / sizes[i + 1];
                return seconds / sizes[i] + units[i] + (rest == 0 ? "" : " " + rest + units[i + 1]);
            }
        }
        return seconds + "s";
    }

    static String durationMs(Long millis) {
        return millis == null ? NONE : millis + "ms";
    }

    static String status(RefreshStatus status) {
        return status == null ? NONE : status.wireName();
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
