package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.servlet.internal.events.EventStreams;

/**
 * {@code GET /api/admin/events}: every view's events, and the scheduler's job and schedule events, as
 * Server-Sent Events. The admin token was checked before routing, as for every {@code /api/admin} route.
 */
public final class AdminEventRoutes implements RouteGroup {
    private final EventStreams streams;

    public AdminEventRoutes(EventStreams streams) {
        this.streams = streams;
    }

    @Override
    public void addTo(Router.Builder router) {
        router.add("GET", "/api/admin/events", request -> streams.open(request, null));
    }
}
