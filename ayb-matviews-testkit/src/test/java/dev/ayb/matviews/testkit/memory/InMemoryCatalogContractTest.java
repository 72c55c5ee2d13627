package dev.ayb.matviews.testkit.memory;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.spi.MatviewCatalog;
import dev.ayb.matviews.spi.ViewState;
import dev.ayb.matviews.testkit.contract.MatviewCatalogContract;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

class InMemoryCatalogContractTest extends MatviewCatalogContract {
    private InMemoryCatalog catalog;
    /** The in-memory catalog knows only materialized views; the fixture resolves plain views itself. */
    private final Map<QualifiedName, Set<QualifiedName>> plainViews = new HashMap<>();

    @Override
    protected MatviewCatalog newCatalog() {
        catalog = new InMemoryCatalog();
        plainViews.clear();
        return catalog;
    }

    @Override
    protected void createTable(QualifiedName table) {
        // Nothing to declare: a table is never a materialized view nor a dependency.
    }

    @Override
    protected void createMaterializedView(QualifiedName view, Set<QualifiedName> readsFrom, boolean populated,
                                          boolean usableUniqueIndex) {
        catalog.create(new ViewState(view, populated, usableUniqueIndex));
        for (QualifiedName upstream : materializedViewsBehind(readsFrom)) {
            catalog.dependsOn(view, upstream);
        }
    }

    @Override
    protected void createPlainView(QualifiedName view, Set<QualifiedName> readsFrom) {
        plainViews.put(view, Set.copyOf(readsFrom));
    }

    private Set<QualifiedName> materializedViewsBehind(Set<QualifiedName> relations) {
        Set<QualifiedName> found = new HashSet<>();
        for (QualifiedName relation : relations) {
            if (plainViews.containsKey(relation)) {
                found.addAll(materializedViewsBehind(plainViews.get(relation)));
            } else if (catalog.describe(relation).isPresent()) {
                found.add(relation);
            }
        }
        return found;
    }
}
