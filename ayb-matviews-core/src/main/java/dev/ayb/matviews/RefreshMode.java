package dev.ayb.matviews;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How a view is refreshed; the wire names are {@code standard}, {@code concurrent} and {@code swap}. */
public enum RefreshMode {
    /** {@code REFRESH MATERIALIZED VIEW}: takes ACCESS EXCLUSIVE, so readers wait until it finishes. */
    STANDARD("standard"),
    /**
     * {@code REFRESH MATERIALIZED VIEW CONCURRENTLY}: takes EXCLUSIVE, so readers carry on; needs a
     * usable unique index and a populated view, and is roughly twice as slow.
     */
    CONCURRENT("concurrent"),
    /**
     * Builds the new contents beside the live view, under a temporary name, with its indexes, owner, grants,
     * comments, tablespace and storage options, then switches the two in one short transaction: readers wait
     * only for that switch. Needs no unique index, but about twice the view's disk space while it builds, and
     * is refused while plain or materialized views depend on the view (they are bound to its object id).
     */
    SWAP("swap");

    private final String wireName;

    RefreshMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a wire name (case-insensitive); anything else is {@link ErrorCode#INVALID_REFRESH_MODE}. */
    public static RefreshMode fromWire(@Nullable String text) {
        return fromWire(text, "refreshMode");
    }

    /**
     * Parses a wire name given as {@code field} (a query parameter, an option), naming that field in the
     * {@link ErrorCode#INVALID_REFRESH_MODE} message: {@code <field> must be 'standard', 'concurrent' or 'swap'}.
     */
    public static RefreshMode fromWire(@Nullable String text, String field) {
        if (text != null) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (RefreshMode mode : values()) {
                if (mode.wireName.equals(lower)) {
                    return mode;
                }
            }
        }
        throw new MatviewException(ErrorCode.INVALID_REFRESH_MODE, field + " must be 'standard', 'concurrent' or 'swap'");
    }

    @Override
    public String toString() {
        return wireName;
    }
}
