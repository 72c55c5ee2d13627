package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.support.LibrarySchema;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.contract.RegistrationStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The registration store contract on PostgreSQL, over pools that commit themselves and pools that do not. */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class JdbcRegistrationStoreContractTest extends RegistrationStoreContract {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Parameter
    boolean autoCommit;

    @Override
    protected RegistrationStore newStore() {
        SampleSchema.reset(PG);
        LibrarySchema schema = new LibrarySchema(AybMatviews.DEFAULT_SCHEMA);
        new SchemaMigrator(PG.dataSource(autoCommit), schema, AybMatviews.DEFAULT_LOCK_NAMESPACE).migrate();
        return new JdbcRegistrationStore(PG.dataSource(autoCommit), schema, AybMatviews.DEFAULT_HISTORY_RETENTION);
    }
}
