package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.Registration;
import org.jspecify.annotations.Nullable;

/**
 * What a read's statement found of the view beside its rows, from the same snapshot.
 *
 * @param fingerprint  the shape's {@link ShapeFingerprint} now, to compare with the remembered one
 * @param registration the view's registration in that snapshot (a replica's own copy), or null
 * @param lagMillis    how far behind its primary the server answering is (0 for a primary, and for a
 *                     standby that has replayed all it received); null when it cannot tell
 * @param server       which standby answered (its postmaster's start time, as text); null for a primary
 * @param total        the count, when the statement was asked for it
 */
public record ViewState(long oid, long relfilenode, boolean populated, String fingerprint,
                        @Nullable Registration registration, @Nullable Long lagMillis, @Nullable String server,
                        @Nullable Long total) {
}
