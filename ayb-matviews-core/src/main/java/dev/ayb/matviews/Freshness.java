package dev.ayb.matviews;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether a view's data is behind its sources, as exact change tracking sees it.
 *
 * <p>The rule: after a refresh the view is {@link State#CURRENT current} until a transaction that writes one of
 * its base tables commits, and {@link State#BEHIND behind} from then on. It is never reported current when it may
 * not be: whatever the library cannot track (a foreign table, a function that may read other tables, a value
 * such as {@code now()}, a source whose trigger is missing) makes it behind, with the {@link #reason} why.
 * A view whose changes are not tracked is {@link State#UNKNOWN unknown}.
 *
 * @param behindSince when the first change the view has not seen was made; null when current, unknown, or
 *                    behind for a reason rather than for a change
 * @param reason      why the state is unknown or behind without a change (e.g. {@code "reads foreign table
 *                    public.remote_orders"}), or why a view with a target lag cannot keep up with it (its refresh
 *                    takes longer than the target, its last refresh failed); null otherwise
 * @param lagMs       how far behind the view is right now: 0 when current, the time since {@code behindSince} when
 *                    behind since a change, and the data's age (since its last successful refresh) when the library
 *                    cannot know better (behind for a reason, or a view with a target whose changes are not
 *                    tracked): an upper bound then. Null when unknown
 * @param nextRefreshAt when the job runner plans to refresh the view to meet its target lag; null when none is
 *                    planned
 */
public record Freshness(State state, @Nullable Instant behindSince, @Nullable String reason, @Nullable Long lagMs,
                        @Nullable Instant nextRefreshAt) {

    /** A view whose changes are not tracked. */
    public static final Freshness UNTRACKED = new Freshness(State.UNKNOWN, null, "change tracking is off");

    /** Why a view with a target but without tracking is refreshed on a timer. */
    public static final String AGE_BASED = "change tracking is off; refreshed every target period (age-based)";

    public Freshness {
        Objects.requireNonNull(state, "state");
    }

    /** A freshness whose lag and plan are not known yet (as a {@link dev.ayb.matviews.spi.ChangeTracker} reads it). */
    public Freshness(State state, @Nullable Instant behindSince, @Nullable String reason) {
        this(state, behindSince, reason, state == State.CURRENT ? Long.valueOf(0L) : null, null);
    }

    public static Freshness current() {
        return new Freshness(State.CURRENT, null, null);
    }

    /**
     * This freshness with its lag at {@code now}, the planned refresh, and the reason a view with a target lag is
     * refreshed on a timer or cannot keep up (see {@link #lagMs()}).
     */
    public Freshness at(Registration registration, Instant now) {
        Long lag = switch (state) {
            case CURRENT -> 0L;
            case BEHIND -> behindSince != null ? Long.valueOf(millisSince(behindSince, now)) : age(registration, now);
            case UNKNOWN -> registration.targetLagMs() != null ? age(registration, now) : null;
        };
        String why = reason;
        if (registration.targetLagMs() != null && state != State.CURRENT) {
            if (state == State.UNKNOWN) {
                why = AGE_BASED;
            }
            String cannotKeepUp = TargetLag.cannotKeepUp(registration);
            if (cannotKeepUp != null) {
                why = why == null ? cannotKeepUp : why + "; " + cannotKeepUp;
            }
        }
        Instant planned = registration.targetLagMs() != null && state != State.CURRENT
                ? registration.nextRefreshAt() : null;
        return new Freshness(state, behindSince, why, lag, planned);
    }

    private static @Nullable Long age(Registration registration, Instant now) {
        return registration.lastSuccessAt() == null ? null : millisSince(registration.lastSuccessAt(), now);
    }

    private static long millisSince(Instant since, Instant now) {
        return Math.max(0, now.toEpochMilli() - since.toEpochMilli());
    }

    /** Behind because a source changed at {@code since}. */
    public static Freshness changedSince(Instant since) {
        return new Freshness(State.BEHIND, Objects.requireNonNull(since, "since"), null);
    }

    /** Behind, whatever its sources do, until {@code reason} goes away. */
    public static Freshness alwaysBehind(String reason) {
        return new Freshness(State.BEHIND, null, Objects.requireNonNull(reason, "reason"));
    }

    public boolean isCurrent() {
        return state == State.CURRENT;
    }

    public enum State {
        CURRENT("current"),
        BEHIND("behind"),
        UNKNOWN("unknown");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static State fromWire(String text) {
            for (State state : values()) {
                if (state.wireName.equals(text)) {
                    return state;
                }
            }
            throw new IllegalArgumentException("unknown freshness state: " + text);
        }

        @Override
        public String toString() {
            return wireName;
        }
    }
}
