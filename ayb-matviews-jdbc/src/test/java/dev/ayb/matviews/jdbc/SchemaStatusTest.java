package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SchemaStatus}: what is applied and pending, read without creating anything. */
class SchemaStatusTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @BeforeEach
    void reset() {
        SampleSchema.reset(PG);
    }

    @Test
    void aDatabaseTheLibraryNeverTouchedHasEveryMigrationPendingAndStaysUntouched() {
        SchemaStatus status = SchemaStatus.read(PG.dataSource(), "ayb");

        assertThat(status.applied()).isEmpty();
        assertThat(status.pending()).extracting(SchemaStatus.Version::version)
                .containsExactlyElementsOf(SchemaMigrator.MIGRATIONS.stream().map(SchemaMigrator.Migration::version)
                        .toList());
        assertThat(status.pending()).allSatisfy(version -> assertThat(version.installedAt()).isNull());
        assertThat(status.upToDate()).isFalse();
        assertThat(status.newerThanLibrary()).isFalse();
        assertThat(PG.queryLong("SELECT count(*) FROM pg_namespace WHERE nspname = 'ayb'")).isZero();
    }

    @Test
    void afterBuildEveryVersionIsAppliedWithItsInstallTime() {
        AybMatviews.builder().dataSource(PG.dataSource()).build();

        SchemaStatus status = SchemaStatus.read(PG.dataSource(), "ayb");

        assertThat(status.upToDate()).isTrue();
        assertThat(status.pending()).isEmpty();
        assertThat(status.applied()).hasSize(SchemaMigrator.MIGRATIONS.size())
                .allSatisfy(version -> assertThat(version.installedAt()).isNotNull());
        assertThat(status.applied().get(0).description()).isEqualTo("matview_registrations");
    }

    @Test
    void aVersionThisLibraryDoesNotKnowMakesTheDatabaseNewer() {
        AybMatviews.builder().dataSource(PG.dataSource()).build();
        PG.execute("INSERT INTO ayb.schema_history (version, description) VALUES (999, 'from_the_future')");

        SchemaStatus status = SchemaStatus.read(PG.dataSource(), "ayb");

        assertThat(status.newerThanLibrary()).isTrue();
        assertThat(status.applied().get(status.applied().size() - 1).description()).isEqualTo("from_the_future");
    }
}
