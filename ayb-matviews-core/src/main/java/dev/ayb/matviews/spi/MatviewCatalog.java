package dev.ayb.matviews.spi;

import dev.ayb.matviews.QualifiedName;
import java.util.List;
import java.util.Optional;

/** Reads the database's own catalog. Implementations must never create, alter or drop anything. */
public interface MatviewCatalog {

    /** The materialized view of that exact name, or empty when none exists (tables and plain views do not count). */
    Optional<ViewState> describe(QualifiedName name);

    /** Every materialized view in the database, ordered by schema then name. */
    List<ViewState> listMaterializedViews();
}
