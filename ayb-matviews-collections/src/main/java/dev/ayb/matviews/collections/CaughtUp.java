package dev.ayb.matviews.collections;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * When each standby was last seen to have replayed all the WAL it had received, which bounds its lag while it
 * replays more. A standby's own measure (the age of the last commit it replayed, once WAL is pending) counts
 * the primary's idle time as lag: after a quiet minute, the next checkpoint or pruning record arriving makes
 * a standby that is a millisecond behind look a minute behind. But WAL it has received since it was seen
 * caught up was received after that moment, so it is replayed no later than the time since: the lag is at
 * most the smaller of the two.
 */
final class CaughtUp {
    /** More standbys than any pool holds: beyond it, the memory starts afresh (and lags are measured as before). */
    private static final int SERVERS = 64;

    private final Map<String, Long> seenAt = new ConcurrentHashMap<>();

    /**
     * @param server    which standby answered; null for a primary (or when unknown: its own measure stands)
     * @param ownMillis the standby's own measure: 0 when it has replayed all it received, otherwise the age of
     *                  the last commit it replayed; null when it has replayed none since it started
     * @return the lag to hold the standby to; null when it cannot be told
     */
    @Nullable Long lagMillis(@Nullable String server, @Nullable Long ownMillis) {
        long now = System.nanoTime();
        if (server == null) {
            return ownMillis;
        }
        if (ownMillis != null && ownMillis == 0) {
            if (seenAt.size() >= SERVERS && !seenAt.containsKey(server)) {
                seenAt.clear();
            }
            seenAt.put(server, now);
            return 0L;
        }
        Long seen = seenAt.get(server);
        if (seen == null) {
            return ownMillis;
        }
        long since = TimeUnit.NANOSECONDS.toMillis(now - seen);
        return ownMillis == null ? since : Math.min(ownMillis, since);
    }
}
