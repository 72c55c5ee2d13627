package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statements a refresh costs on top of the REFRESH itself. Counts, not timings: a new statement on
 * the refresh path shows up here before it shows up in the benchmarks.
 */
class RoundTripsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private RecordingDataSource counting;
    private AybMatviews matviews;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        counting = new RecordingDataSource(PG.dataSource());
        matviews = AybMatviews.builder().dataSource(counting).build();
    }

    @Test
    void aStandardRefreshTakesThreeStatements() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        counting.clear();

        matviews.refreshes().refresh("public.leaderboard");

        // lookup + lock + catalog check, REFRESH, record + unlock
        assertThat(counting.statements()).hasSize(3);
        assertThat(counting.statements().get(0)).contains("pg_try_advisory_lock").contains("matview_registrations");
        assertThat(counting.statements().get(1)).isEqualTo("REFRESH MATERIALIZED VIEW \"public\".\"leaderboard\"");
        assertThat(counting.statements().get(2)).contains("INSERT INTO").contains("pg_advisory_unlock");
    }

    @Test
    void aRefreshByIdTakesTheSameThreeStatements() {
        Registration registration = matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        counting.clear();

        matviews.refreshes().refresh(ViewRef.of(registration.id()), RefreshTrigger.MANUAL);

        assertThat(counting.statements()).hasSize(3);
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    @Test
    void aRefreshOfALoadedRegistrationTakesThreeStatements() {
        Registration registration = matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        counting.clear();

        matviews.refreshes().refresh(registration, RefreshTrigger.MANUAL);

        // lock + catalog check, REFRESH, record + unlock
        assertThat(counting.statements()).hasSize(3);
    }

    @Test
    void timeoutsAddOneStatementAndTheirRestoreRidesOnTheRecord() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT,
                RefreshTimeouts.of(Duration.ofSeconds(5), Duration.ofMinutes(5)));
        counting.clear();

        matviews.refreshes().refresh("public.leaderboard");

        assertThat(counting.statements()).hasSize(4);
        assertThat(counting.statements().get(3)).contains("pg_advisory_unlock").contains("set_config('lock_timeout'")
                .contains("set_config('statement_timeout'");
        assertThat(counting.statements().get(2))
                .isEqualTo("REFRESH MATERIALIZED VIEW CONCURRENTLY \"public\".\"leaderboard\"");
    }

    @Test
    void aRejectedRefreshCostsOneStatementAndWritesNothing() throws Exception {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        try (Connection outside = PG.connection(); Statement statement = outside.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + AybMatviews.DEFAULT_LOCK_NAMESPACE
                    + ", 'public.leaderboard'::regclass::oid::int8::int4)");
            counting.clear();

            assertThatThrownBy(() -> matviews.refreshes().refresh("public.leaderboard"))
                    .hasMessage("refresh already in progress");

            assertThat(counting.statements()).hasSize(1);
            statement.execute("SELECT pg_advisory_unlock_all()");
        }
    }
}
