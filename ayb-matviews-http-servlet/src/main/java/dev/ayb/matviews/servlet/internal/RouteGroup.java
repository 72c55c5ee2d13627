package dev.ayb.matviews.servlet.internal;

/**
 * The routes of one resource (matviews now; schedules, jobs and collections later), added to the shared
 * router so that a new group never touches the others.
 */
@FunctionalInterface
public interface RouteGroup {
    void addTo(Router.Builder router);
}
