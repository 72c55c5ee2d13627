package dev.ayb.matviews.spi;

import dev.ayb.matviews.QualifiedName;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/** Reads the database's own catalog. Implementations must never create, alter or drop anything. */
public interface MatviewCatalog {

    /** The materialized view of that exact name, or empty when none exists (tables and plain views do not count). */
    Optional<ViewState> describe(QualifiedName name);

    /** Every materialized view in the database, ordered by schema then name. */
    List<ViewState> listMaterializedViews();

    /**
     * For each materialized view, the materialized views it reads from directly, seeing through plain
     * views in between (a view reading a plain view that reads a materialized view depends on the latter).
     */
    Map<QualifiedName, Set<QualifiedName>> materializedViewDependencies();

    /**
     * For each materialized view that has any, the plain and materialized views that read it directly ({@code schema.name},
     * ordered): they are bound to its object id, so a swap refresh is refused while they exist. Default:
     * none (a catalog without dependants).
     */
    default Map<QualifiedName, List<String>> dependants() {
        return Map.of();
    }
}
