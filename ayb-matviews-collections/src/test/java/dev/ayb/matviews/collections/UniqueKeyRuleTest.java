package dev.ayb.matviews.collections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.UniqueIndexShapes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A view's unique key (the order that makes paging stable, and cursors possible) is an index PostgreSQL would
 * use for CONCURRENTLY: the rule is jdbc's CatalogSql, shared with the refresh's checks, and here it is held
 * against what {@code REFRESH ... CONCURRENTLY} does for every generated index shape.
 */
class UniqueKeyRuleTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private AybCollections collections;

    @BeforeEach
    void createView() {
        SampleSchema.reset(PG);
        PG.execute(UniqueIndexShapes.VIEW);
        collections = AybCollections.of(AybMatviews.builder().dataSource(PG.dataSource()).build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ayb.matviews.testkit.UniqueIndexShapes#generated")
    void theViewHasAUniqueKeyExactlyWhenPostgresqlRefreshesItConcurrently(String createIndex) throws Exception {
        PG.execute(createIndex);

        boolean hasUniqueKey = collections.describe(QualifiedName.parse("public.v")).orElseThrow().hasUniqueKey();

        assertThat(hasUniqueKey).isEqualTo(UniqueIndexShapes.concurrentRefreshSucceeds(PG));
    }
}
