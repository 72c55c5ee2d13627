package dev.ayb.matviews.jdbc.internal.tracking;

import java.util.HashSet;
import java.util.Set;

/**
 * A {@code pg_snapshot} as PostgreSQL writes it ({@code xmin:xmax:xip,...}), to tell whether a row version's
 * {@code xmin} (a 32-bit transaction id, as the system column gives it) had committed when the snapshot was taken.
 */
record XidSnapshot(long xmin, long xmax, Set<Long> inProgress) {
    /** Transaction ids below this are PostgreSQL's special ones (bootstrap, frozen): always committed. */
    private static final long FIRST_NORMAL_XID = 3;
    private static final long EPOCH = 1L << 32;

    static XidSnapshot parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a pg_snapshot: " + text);
        }
        Set<Long> inProgress = new HashSet<>();
        if (!parts[2].isEmpty()) {
            for (String xid : parts[2].split(",")) {
                inProgress.add(Long.parseLong(xid));
            }
        }
        return new XidSnapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), inProgress);
    }

    /**
     * Whether the transaction {@code xid32} had ended when the snapshot was taken. It is widened to 64 bits from
     * {@code reference}, the next transaction id when the row was read (so newer than the row's transaction, and not
     * 2^31 transactions newer, or the row would have been frozen).
     */
    boolean sees(long xid32, long reference) {
        if (xid32 < FIRST_NORMAL_XID) {
            return true;
        }
        long full = (reference & ~(EPOCH - 1)) | xid32;
        if (full >= reference) {
            full -= EPOCH;
        }
        return full < xmin || (full < xmax && !inProgress.contains(full));
    }
}
