package dev.ayb.matviews.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.spi.MatviewCatalog;
import dev.ayb.matviews.spi.ViewState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MatviewCatalog} must report, as the SPI's javadoc promises it. An implementation runs it by
 * extending this class and building the objects each test declares through the fixture methods, in a database
 * (or model of one) that holds no materialized view when {@link #newCatalog()} is called.
 */
public abstract class MatviewCatalogContract {
    private static final QualifiedName SCORES = QualifiedName.of("public", "scores");
    private static final QualifiedName LEADERBOARD = QualifiedName.of("public", "leaderboard");
    private static final QualifiedName TOP_TEN = QualifiedName.of("public", "top_ten");

    private MatviewCatalog catalog;

    /** A catalog of an empty database: no materialized view, and nothing the fixture methods would create. */
    protected abstract MatviewCatalog newCatalog();

    /** Creates a table. */
    protected abstract void createTable(QualifiedName table);

    /**
     * Creates a materialized view reading from {@code readsFrom} (tables, plain views or materialized views
     * created before), populated or not, with or without a unique index that CONCURRENTLY can use.
     */
    protected abstract void createMaterializedView(QualifiedName view, Set<QualifiedName> readsFrom, boolean populated,
                                                   boolean usableUniqueIndex);

    /** Creates a plain (non-materialized) view reading from {@code readsFrom}. */
    protected abstract void createPlainView(QualifiedName view, Set<QualifiedName> readsFrom);

    @BeforeEach
    void openTheCatalog() {
        catalog = newCatalog();
        createTable(SCORES);
    }

    @Test
    void aMaterializedViewIsDescribedWithItsPopulatedStateAndUniqueIndex() {
        createMaterializedView(LEADERBOARD, Set.of(SCORES), true, true);
        createMaterializedView(TOP_TEN, Set.of(SCORES), false, false);

        assertEquals(Optional.of(new ViewState(LEADERBOARD, true, true)), catalog.describe(LEADERBOARD));
        assertEquals(Optional.of(new ViewState(TOP_TEN, false, false)), catalog.describe(TOP_TEN));
    }

    @Test
    void tablesPlainViewsAndMissingNamesAreNotMaterializedViews() {
        createPlainView(LEADERBOARD, Set.of(SCORES));

        assertEquals(Optional.empty(), catalog.describe(SCORES));
        assertEquals(Optional.empty(), catalog.describe(LEADERBOARD));
        assertEquals(Optional.empty(), catalog.describe(QualifiedName.of("public", "no_such_view")));
        assertEquals(List.of(), catalog.listMaterializedViews());
    }

    @Test
    void everyMaterializedViewIsListedBySchemaThenName() {
        QualifiedName other = QualifiedName.of("analytics", "daily");
        createMaterializedView(TOP_TEN, Set.of(SCORES), true, false);
        createMaterializedView(LEADERBOARD, Set.of(SCORES), true, true);
        createMaterializedView(other, Set.of(SCORES), false, false);

        assertEquals(List.of(new ViewState(other, false, false), new ViewState(LEADERBOARD, true, true),
                new ViewState(TOP_TEN, true, false)), catalog.listMaterializedViews());
    }

    @Test
    void dependenciesAreTheMaterializedViewsReadDirectlyOrThroughPlainViews() {
        QualifiedName daily = QualifiedName.of("public", "daily");
        QualifiedName ranked = QualifiedName.of("public", "ranked");
        createMaterializedView(LEADERBOARD, Set.of(SCORES), true, true);
        createPlainView(ranked, Set.of(LEADERBOARD));
        createMaterializedView(TOP_TEN, Set.of(ranked), true, true);
        createMaterializedView(daily, Set.of(LEADERBOARD, SCORES), true, true);

        Map<QualifiedName, Set<QualifiedName>> dependencies = catalog.materializedViewDependencies();

        assertEquals(Set.of(LEADERBOARD), dependencies.getOrDefault(TOP_TEN, Set.of()), "seen through the plain view");
        assertEquals(Set.of(LEADERBOARD), dependencies.getOrDefault(daily, Set.of()), "tables are not dependencies");
        assertEquals(Set.of(), dependencies.getOrDefault(LEADERBOARD, Set.of()));
    }
}
