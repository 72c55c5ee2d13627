package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.testkit.PostgresExtension;
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
        SeedSchema.create(PG);
        counting = new RecordingDataSource(PG.dataSource());
        matviews = AybMatviews.builder().dataSource(counting).build();
    }

    @Test
    void aStandardRefreshTakesFiveStatements() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        counting.clear();

        matviews.refreshes().refresh("public.leaderboard");

        // lookup, lock + catalog check, REFRESH, record, unlock
        assertThat(counting.statements()).hasSize(5);
        assertThat(counting.statements().get(2)).isEqualTo("REFRESH MATERIALIZED VIEW \"public\".\"leaderboard\"");
    }

    @Test
    void timeoutsAddOneStatementAndTheirRestoreRidesOnTheUnlock() {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT,
                RefreshTimeouts.of(Duration.ofSeconds(5), Duration.ofMinutes(5)));
        counting.clear();

        matviews.refreshes().refresh("public.leaderboard");

        assertThat(counting.statements()).hasSize(6);
        assertThat(counting.statements().get(3))
                .isEqualTo("REFRESH MATERIALIZED VIEW CONCURRENTLY \"public\".\"leaderboard\"");
    }

    @Test
    void aRejectedRefreshCostsTwoStatementsAndWritesNothing() throws Exception {
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        try (Connection outside = PG.connection(); Statement statement = outside.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + AybMatviews.DEFAULT_LOCK_NAMESPACE
                    + ", 'public.leaderboard'::regclass::oid::int8::int4)");
            counting.clear();

            assertThatThrownBy(() -> matviews.refreshes().refresh("public.leaderboard"))
                    .hasMessage("refresh already in progress");

            assertThat(counting.statements()).hasSize(2);
            statement.execute("SELECT pg_advisory_unlock_all()");
        }
    }
}
