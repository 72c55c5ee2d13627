package dev.ayb.matviews;

import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Refresh outcomes of every instance sharing the database, as they are recorded: unlike a
 * {@link RefreshListener}, which sees this instance's refreshes as they run, a subscription also receives the
 * refreshes other instances made, and (for views with change tracking) {@code behind} events.
 *
 * <p>Events are delivered in id order on one library thread shared by every subscription of the instance:
 * a consumer must return quickly (hand the event to its own queue if it has slow work to do). A consumer that
 * throws is logged and keeps its subscription. An event is announced only once its refresh's record has
 * committed: a refresh whose record was rolled back is never announced.
 */
public interface RefreshEvents {
    /** Every view's events from now on, until the subscription is closed. */
    EventSubscription subscribe(Consumer<RefreshEvent> consumer);

    /** One view's events from now on, until the subscription is closed. */
    EventSubscription subscribe(QualifiedName view, Consumer<RefreshEvent> consumer);

    /**
     * The refresh events recorded after {@code afterId}, oldest first, at most {@code limit} of them, from the run
     * history (so only as far back as its retention keeps runs). Behind events are not replayed.
     *
     * @param view null for every view
     */
    List<RefreshEvent> replay(long afterId, @Nullable QualifiedName view, int limit);
}
