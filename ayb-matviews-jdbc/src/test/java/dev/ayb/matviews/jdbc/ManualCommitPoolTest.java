package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.OneConnectionDataSource;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The defect as a new user met it: on a pool set to {@code autoCommit=false} (the Spring/JPA default in many
 * applications) writes returned normally and never reached the database, and queued jobs ran again and again
 * (the jobs' side is ManualCommitPoolJobsTest, in ayb-matviews-jobs).
 * Every check reads through another pool, or a plain connection, so only what was committed counts.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class ManualCommitPoolTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private AybMatviews manual;
    private AybMatviews other;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        manual = AybMatviews.builder().dataSource(PG.newDataSource(2, false)).build();
        other = AybMatviews.builder().dataSource(PG.newDataSource(2, true)).build();
    }

    @Test
    void registrationsMadeOnAManualCommitPoolAreSeenByARefreshFromAnotherPool() {
        manual.registry().register(QualifiedName.parse("public.leaderboard"));
        manual.registry().updateMode("public.leaderboard", RefreshMode.CONCURRENT);
        manual.registry().updateTimeouts(ViewRef.parse("public.leaderboard"),
                RefreshTimeouts.of(Duration.ofSeconds(5), Duration.ofMinutes(1)));

        var refreshed = other.refreshes().refresh("public.leaderboard");

        assertThat(refreshed.registration().refreshMode()).isEqualTo(RefreshMode.CONCURRENT);
        assertThat(refreshed.registration().lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(PG.queryLong("SELECT lock_timeout_ms FROM ayb.matview_registrations")).isEqualTo(5000);

        manual.registry().unregister("public.leaderboard");
        Figures.operations(5);

        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_registrations")).isZero();
    }

    @Test
    void refreshOutcomesOnAManualCommitPoolAreRecordedInEitherLockMode() {
        other.registry().register(QualifiedName.parse("public.leaderboard"));
        AybMatviews transactional = AybMatviews.builder().dataSource(PG.newDataSource(1, false))
                .lockMode(AdvisoryLockMode.TRANSACTION).build();

        manual.refreshes().refresh("public.leaderboard");
        transactional.refreshes().refresh("public.leaderboard");
        PG.execute("DROP MATERIALIZED VIEW leaderboard");
        assertThatThrownBy(() -> manual.refreshes().refresh("public.leaderboard"))
                .hasMessage("materialized view no longer exists in database");
        Figures.operations(3);

        assertThat(PG.queryString("SELECT string_agg(status, ',' ORDER BY id) FROM ayb.matview_refresh_runs"))
                .isEqualTo("success,success,error");
        assertThat(other.registry().get("public.leaderboard").lastRefreshError())
                .isEqualTo("materialized view no longer exists in database");
    }

    @Test
    void everyCallLeavesAManualCommitConnectionAsItFoundIt() throws Exception {
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            OneConnectionDataSource one = new OneConnectionDataSource(connection);
            AybMatviews onOne = AybMatviews.builder().dataSource(one).build();
            one.assertLeftAsFound(PG, "build");

            onOne.registry().register(QualifiedName.parse("public.leaderboard"));
            one.assertLeftAsFound(PG, "register");
            onOne.registry().get("public.leaderboard");
            onOne.registry().list();
            onOne.registry().discover();
            one.assertLeftAsFound(PG, "reads");
            onOne.refreshes().refresh("public.leaderboard");
            onOne.registry().history(ViewRef.parse("public.leaderboard"), 10);
            one.assertLeftAsFound(PG, "refresh and history");
            onOne.registry().unregister("public.leaderboard");
            one.assertLeftAsFound(PG, "unregister");
            Figures.operations(8);
        }
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.matview_registrations")).isZero();
    }
}
