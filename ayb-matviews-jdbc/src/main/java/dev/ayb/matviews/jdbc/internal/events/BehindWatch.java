package dev.ayb.matviews.jdbc.internal.events;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.FreshnessService;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.Registration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Notices tracked views becoming behind, by reading their freshness at each poll of the hub (one query for all
 * of them, and none while no view is tracked). The writers' trigger is left exactly as it is: announcing from it
 * would add work to every writing transaction of a source table, and PostgreSQL serialises the commits of
 * transactions that notify. The price is latency: a behind event comes up to one poll interval after the write.
 */
final class BehindWatch {
    private final MatviewRegistry registry;
    private final FreshnessService freshness;
    private final Map<UUID, Boolean> behind = new HashMap<>();

    BehindWatch(MatviewRegistry registry, FreshnessService freshness) {
        this.registry = registry;
        this.freshness = freshness;
    }

    /**
     * @param currentId the id of the newest refresh event delivered, which the behind events carry
     * @return an event for each tracked view that became behind since the last check (none on the first check:
     *         it only learns the current states)
     */
    List<RefreshEvent> check(long currentId) {
        List<Registration> tracked = registry.list().stream().filter(Registration::changeTracking).toList();
        List<RefreshEvent> events = new ArrayList<>();
        Map<UUID, Freshness> states = tracked.isEmpty() ? Map.of() : freshness.of(tracked);
        Map<UUID, Boolean> previous = Map.copyOf(behind);
        behind.clear();
        for (Registration registration : tracked) {
            Freshness state = states.getOrDefault(registration.id(), Freshness.UNTRACKED);
            boolean isBehind = state.state() == Freshness.State.BEHIND && state.behindSince() != null;
            behind.put(registration.id(), isBehind);
            if (isBehind && Boolean.FALSE.equals(previous.get(registration.id()))) {
                events.add(RefreshEvent.behind(currentId, registration.qualifiedName(), registration.lastRefreshAt(),
                        registration.lastSuccessAt(), state.behindSince()));
            }
        }
        return events;
    }
}
