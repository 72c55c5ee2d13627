package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.spi.MatviewCatalog;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.contract.MatviewCatalogContract;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalog contract on PostgreSQL's own catalog, over pools that commit themselves and pools that do not. */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class JdbcMatviewCatalogContractTest extends MatviewCatalogContract {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Parameter
    boolean autoCommit;

    @Override
    protected MatviewCatalog newCatalog() {
        SampleSchema.reset(PG);
        PG.execute("DROP SCHEMA IF EXISTS analytics CASCADE", "CREATE SCHEMA analytics");
        return new JdbcMatviewCatalog(PG.dataSource(autoCommit));
    }

    @Override
    protected void createTable(QualifiedName table) {
        PG.execute("CREATE TABLE " + table.quoted() + " (id int PRIMARY KEY)");
    }

    @Override
    protected void createMaterializedView(QualifiedName view, Set<QualifiedName> readsFrom, boolean populated,
                                          boolean usableUniqueIndex) {
        PG.execute("CREATE MATERIALIZED VIEW " + view.quoted() + " AS " + selectFrom(readsFrom)
                + (populated ? "" : " WITH NO DATA"));
        if (usableUniqueIndex) {
            PG.execute("CREATE UNIQUE INDEX ON " + view.quoted() + " (id)");
        }
    }

    @Override
    protected void createPlainView(QualifiedName view, Set<QualifiedName> readsFrom) {
        PG.execute("CREATE VIEW " + view.quoted() + " AS " + selectFrom(readsFrom));
    }

    /** One id column from every relation, so each is a real dependency of the view. */
    private static String selectFrom(Set<QualifiedName> relations) {
        return relations.stream().map(r -> "SELECT id FROM " + r.quoted()).sorted()
                .collect(Collectors.joining(" UNION ALL "));
    }
}
