package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.jdbc.internal.AdvisoryRefreshLocks;
import dev.ayb.matviews.jdbc.internal.JdbcMatviewCatalog;
import dev.ayb.matviews.jdbc.internal.JdbcRegistrationStore;
import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.contract.ChangeTrackerContract;
import java.time.Clock;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The change tracker contract on PostgreSQL, over pools that commit themselves and pools that do not, with writes
 * captured by triggers and read from the WAL.
 */
@ParameterizedClass(name = "pool autoCommit={0}, capture={1}")
@MethodSource("settings")
class PgChangeTrackerContractTest extends ChangeTrackerContract {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Parameter(0)
    boolean autoCommit;

    @Parameter(1)
    ChangeCapture capture;

    static Stream<Arguments> settings() {
        return Stream.of(true, false).flatMap(autoCommit -> Stream.of(ChangeCapture.values())
                .map(capture -> Arguments.of(autoCommit, capture)));
    }

    private JdbcRegistrationStore store;

    @Override
    protected MatviewRegistry newRegistry() {
        SampleSchema.reset(PG);
        PG.execute("CREATE TABLE public.scores (id bigserial PRIMARY KEY, points int NOT NULL)",
                "CREATE MATERIALIZED VIEW public.total AS SELECT sum(points) AS points FROM public.scores",
                "CREATE MATERIALIZED VIEW public.best AS SELECT max(points) AS points FROM public.scores");
        DataSource dataSource = PG.dataSource(autoCommit);
        LibrarySchema schema = new LibrarySchema(AybMatviews.DEFAULT_SCHEMA);
        new SchemaMigrator(dataSource, schema, AybMatviews.DEFAULT_LOCK_NAMESPACE).migrate();
        store = new JdbcRegistrationStore(dataSource, schema, AybMatviews.DEFAULT_HISTORY_RETENTION);
        return new MatviewRegistry(store, new JdbcMatviewCatalog(dataSource), new PgChangeTracker(dataSource, schema, capture,
                AybMatviews.DEFAULT_LOCK_NAMESPACE), Clock.systemUTC());
    }

    @Override
    protected RefreshService refreshes(MatviewRegistry registry) {
        return new RefreshService(registry, store, new AdvisoryRefreshLocks(PG.dataSource(autoCommit), store,
                AybMatviews.DEFAULT_LOCK_NAMESPACE, false), Clock.systemUTC(), RefreshTimeouts.NONE,
                RefreshListener.NONE);
    }

    @Override
    protected QualifiedName view() {
        return QualifiedName.of("public", "total");
    }

    @Override
    protected QualifiedName otherView() {
        return QualifiedName.of("public", "best");
    }

    @Override
    protected QualifiedName sourceTable() {
        return QualifiedName.of("public", "scores");
    }

    @Override
    protected void writeSourceAndCommit() {
        PG.execute("INSERT INTO public.scores (points) VALUES (7)");
    }
}
