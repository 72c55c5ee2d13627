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
 *                    public.remote_orders"}); null otherwise
 */
public record Freshness(State state, @Nullable Instant behindSince, @Nullable String reason) {

    /** A view whose changes are not tracked. */
    public static final Freshness UNTRACKED = new Freshness(State.UNKNOWN, null, "change tracking is off");

    public Freshness {
        Objects.requireNonNull(state, "state");
    }

    public static Freshness current() {
        return new Freshness(State.CURRENT, null, null);
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
