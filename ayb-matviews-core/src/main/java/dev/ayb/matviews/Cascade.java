package dev.ayb.matviews;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Which related materialized views a refresh takes along; wire names are the lower-case constant names. */
public enum Cascade {
    /** The view alone. */
    NONE,
    /** First every materialized view the view reads from, directly or through plain views; then the view. */
    UPSTREAM,
    /** The view, then every materialized view that reads from it. */
    DOWNSTREAM,
    /** Upstream, the view, then downstream. */
    BOTH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Cascade fromWire(@Nullable String text) {
        if (text != null) {
            for (Cascade cascade : values()) {
                if (cascade.wireName().equals(text.toLowerCase(Locale.ROOT))) {
                    return cascade;
                }
            }
        }
        throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "cascade must be one of none, upstream, downstream, both");
    }

    boolean includesUpstream() {
        return this == UPSTREAM || this == BOTH;
    }

    boolean includesDownstream() {
        return this == DOWNSTREAM || this == BOTH;
    }

    @Override
    public String toString() {
        return wireName();
    }
}
