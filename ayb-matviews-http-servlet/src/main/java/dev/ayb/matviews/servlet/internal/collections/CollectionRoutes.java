package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.CollectionAccess;
import dev.ayb.matviews.servlet.internal.RouteGroup;
import dev.ayb.matviews.servlet.internal.Router;
import dev.ayb.matviews.servlet.internal.events.EventStreams;
import java.util.List;

/**
 * {@code /api/collections/{name}}: materialized views served read-only, as the original serves them.
 * {@code {name}} is {@code view} (in {@code public}) or {@code schema.view}; only materialized views are
 * served (tables and plain views are the host's own API's business and answer 404).
 *
 * <p>{@code GET /api/collections/{name}/events} streams the view's refresh events to whoever may read it.
 *
 * <p>Writes answer 405 {@code write operations not allowed on materialized_view} with {@code Allow: GET, HEAD},
 * whatever the name, without looking anything up, so a write can never probe which views exist.
 */
public final class CollectionRoutes implements RouteGroup {
    static final String PATH = "/api/collections/{name}";
    static final String EVENTS_PATH = "/api/collections/{name}/events";
    private static final List<String> WRITES = List.of("POST", "PUT", "PATCH", "DELETE");

    private final CollectionReads reads;
    private final CollectionEvents events;

    /**
     * @param access      who besides admins may read
     * @param collections the read engine; its pool's role decides what can be read
     * @param streams     the servlet's event streams, for {@code GET /api/collections/{name}/events}
     * @param keptBytes   the bytes of written pages kept for reads of unchanged data; 0 keeps none
     */
    public CollectionRoutes(CollectionAccess access, AdminAuthenticator admins, AybCollections collections,
                            EventStreams streams, long keptBytes) {
        ReaderGate gate = new ReaderGate(access, admins);
        this.reads = new CollectionReads(collections, gate, keptBytes);
        this.events = new CollectionEvents(collections, gate, streams);
    }

    @Override
    public void addTo(Router.Builder router) {
        router.add("GET", PATH, reads::read).add("HEAD", PATH, reads::read);
        router.add("GET", EVENTS_PATH, events::open);
        for (String write : WRITES) {
            router.addUnlisted(write, PATH, request -> CollectionErrors.writeRefused());
        }
    }
}
