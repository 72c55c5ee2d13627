package dev.ayb.matviews.jdbc.internal.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which history ids have been delivered. Run ids come from a sequence, but records commit in their own order:
 * id 11 may be visible before id 10, whose transaction is still committing. Reading only "after the highest id
 * seen" would then skip 10 for ever, so the ids passed over are kept as gaps and read again, until they show up
 * or are old enough to be a record that rolled back (or was pruned), which never will.
 */
final class EventCursor {
    /** More gaps than this at once means ids were skipped in bulk (a pruned or rolled-back stretch), not racing. */
    static final int MAX_GAPS = 1_000;

    private final Duration gapLifetime;
    private final TreeMap<Long, Instant> gaps = new TreeMap<>();
    private long highest;

    EventCursor(long highest, Duration gapLifetime) {
        this.highest = highest;
        this.gapLifetime = gapLifetime;
    }

    long highest() {
        return highest;
    }

    /** The gaps still worth reading again, forgetting those older than the lifetime. */
    Long[] gaps(Instant now) {
        Iterator<Map.Entry<Long, Instant>> each = gaps.entrySet().iterator();
        while (each.hasNext()) {
            if (each.next().getValue().plus(gapLifetime).isBefore(now)) {
                each.remove();
            }
        }
        return gaps.keySet().toArray(Long[]::new);
    }

    /** @return whether {@code id} is new, i.e. should be delivered; it is then counted as delivered */
    boolean accept(long id, Instant now) {
        if (id <= highest) {
            return gaps.remove(id) != null;
        }
        for (long skipped = Math.max(highest + 1, id - MAX_GAPS); skipped < id; skipped++) {
            gaps.put(skipped, now);
        }
        while (gaps.size() > MAX_GAPS) {
            gaps.pollFirstEntry();
        }
        highest = id;
        return true;
    }
}
