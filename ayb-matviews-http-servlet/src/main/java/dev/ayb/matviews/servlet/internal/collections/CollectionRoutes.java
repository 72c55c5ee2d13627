package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.CollectionAccess;
import dev.ayb.matviews.servlet.internal.RouteGroup;
import dev.ayb.matviews.servlet.internal.Router;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code /api/collections/{name}}: materialized views served read-only, as the original serves them.
 * {@code {name}} is {@code view} (in {@code public}) or {@code schema.view}; only materialized views are
 * served (tables and plain views are the host's own API's business and answer 404).
 *
 * <p>Writes answer 405 {@code write operations not allowed on materialized_view} with {@code Allow: GET, HEAD},
 * whatever the name, without looking anything up, so a write can never probe which views exist.
 */
public final class CollectionRoutes implements RouteGroup {
    static final String PATH = "/api/collections/{name}";
    private static final List<String> WRITES = List.of("POST", "PUT", "PATCH", "DELETE");

    private final CollectionReads reads;

    /**
     * @param dataSource       the pool the rows are read through; its role's privileges decide what can be read
     * @param registrations    the library's registrations, read with the catalog in every read's transaction
     * @param statementTimeout the longest one query of a read may run
     */
    public CollectionRoutes(DataSource dataSource, RegistrationJoin registrations, CollectionAccess access,
                            AdminAuthenticator admins, Duration statementTimeout) {
        if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()
                || statementTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the statement timeout must be between 1 ms and "
                    + Integer.MAX_VALUE + " ms (PostgreSQL's limit)");
        }
        this.reads = new CollectionReads(dataSource, registrations, access, admins, statementTimeout);
    }

    @Override
    public void addTo(Router.Builder router) {
        router.add("GET", PATH, reads::read).add("HEAD", PATH, reads::read);
        for (String write : WRITES) {
            router.addUnlisted(write, PATH, request -> CollectionErrors.writeRefused());
        }
    }
}
