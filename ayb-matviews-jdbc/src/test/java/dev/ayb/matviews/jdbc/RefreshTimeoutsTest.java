package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.Pools;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RefreshTimeoutsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        PG.execute("CREATE MATERIALIZED VIEW slow AS SELECT 1 AS x FROM (SELECT pg_sleep(5)) s WITH NO DATA");
    }

    @Test
    void lockTimeoutStopsAStandardRefreshQueuedBehindAReader() throws Exception {
        // One connection in the pool, so the connection checked afterwards is the one that refreshed.
        try (HikariDataSource pool = Pools.pool(PG, 1, null)) {
            AybMatviews matviews = AybMatviews.builder().dataSource(pool).build();
            matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.STANDARD,
                    RefreshTimeouts.of(Duration.ofMillis(100), null));

            try (Connection reader = PG.connection(); Statement statement = reader.createStatement()) {
                reader.setAutoCommit(false);
                statement.executeQuery("SELECT count(*) FROM leaderboard").close();

                assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard"))
                        .isInstanceOfSatisfying(MatviewException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_LOCK_TIMEOUT);
                            assertThat(e.sqlState()).contains("55P03");
                            assertThat(e.getMessage()).startsWith("refresh of public.leaderboard failed: ")
                                    .contains("lock timeout");
                        });
                reader.rollback();
            }
            assertThat(matviews.registry().get("leaderboard").lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
            assertThat(setting(pool, "lock_timeout")).isEqualTo("0");
        }
    }

    @Test
    void statementTimeoutCancelsALongRefreshAndIsRestoredAfterwards() throws Exception {
        try (HikariDataSource pool = Pools.pool(PG, 1, "SET statement_timeout = '42s'")) {
            AybMatviews matviews = AybMatviews.builder().dataSource(pool).build();
            matviews.registry().register(QualifiedName.parse("public.slow"), RefreshMode.STANDARD,
                    RefreshTimeouts.of(null, Duration.ofMillis(100)));

            assertThatThrownBy(() -> matviews.refreshes().refresh("slow"))
                    .isInstanceOfSatisfying(MatviewException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_STATEMENT_TIMEOUT);
                        assertThat(e.sqlState()).contains("57014");
                        assertThat(e.getMessage()).contains("statement timeout");
                    });
            assertThat(matviews.registry().history(ViewRef.parse("slow"), 1).get(0).durationMs())
                    .isLessThan(4000);
            assertThat(setting(pool, "statement_timeout")).isEqualTo("42s");
        }
    }

    @Test
    void libraryDefaultsApplyToViewsWithoutTheirOwn() throws Exception {
        try (HikariDataSource pool = Pools.pool(PG, 1, null)) {
            AybMatviews matviews = AybMatviews.builder().dataSource(pool)
                    .defaultStatementTimeout(Duration.ofMillis(100)).build();
            matviews.registry().register(QualifiedName.parse("public.slow"));

            assertThatThrownBy(() -> matviews.refreshes().refresh("slow"))
                    .isInstanceOfSatisfying(MatviewException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_STATEMENT_TIMEOUT));
            assertThat(setting(pool, "statement_timeout")).isEqualTo("0");
        }
    }

    /**
     * The refresh of a view over {@code pg_sleep(0.5)} outlasts the 100 ms default and not the view's own minute,
     * and a view's own 100 ms stops the five-second one under a minute's default: only the view's own timeout
     * decides either outcome.
     */
    @Test
    void aViewsOwnTimeoutOverridesTheDefault() {
        PG.execute("CREATE MATERIALIZED VIEW half_second AS SELECT 1 AS x FROM (SELECT pg_sleep(0.5)) s WITH NO DATA");
        AybMatviews shortDefault = AybMatviews.builder().dataSource(PG.dataSource())
                .defaultStatementTimeout(Duration.ofMillis(100)).build();
        shortDefault.registry().register(QualifiedName.parse("public.half_second"), RefreshMode.STANDARD,
                RefreshTimeouts.of(null, Duration.ofMinutes(1)));

        assertThat(shortDefault.refreshes().refresh("half_second").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);

        AybMatviews longDefault = AybMatviews.builder().dataSource(PG.dataSource())
                .defaultStatementTimeout(Duration.ofMinutes(1)).build();
        longDefault.registry().register(QualifiedName.parse("public.slow"), RefreshMode.STANDARD,
                RefreshTimeouts.of(null, Duration.ofMillis(100)));

        assertThatThrownBy(() -> longDefault.refreshes().refresh("slow"))
                .isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_STATEMENT_TIMEOUT));
    }

    @Test
    void aSuccessfulRefreshPutsBothTimeoutsBackWithItsRecord() throws Exception {
        try (HikariDataSource pool = Pools.pool(PG, 1, "SET lock_timeout = '7s'; SET statement_timeout = '42s'")) {
            AybMatviews matviews = AybMatviews.builder().dataSource(pool).build();
            matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.STANDARD,
                    RefreshTimeouts.of(Duration.ofSeconds(3), Duration.ofMinutes(1)));

            assertThat(matviews.refreshes().refresh("leaderboard").registration().lastRefreshStatus())
                    .isEqualTo(RefreshStatus.SUCCESS);
            assertThat(setting(pool, "lock_timeout")).isEqualTo("7s");
            assertThat(setting(pool, "statement_timeout")).isEqualTo("42s");
            assertThat(PG.libraryLocksHeld()).isZero();
        }
    }

    @Test
    void transactionModeTimeoutsEndWithTheTransaction() throws Exception {
        try (HikariDataSource pool = Pools.pool(PG, 1, null)) {
            AybMatviews matviews = AybMatviews.builder().dataSource(pool).lockMode(AdvisoryLockMode.TRANSACTION)
                    .build();
            matviews.registry().register(QualifiedName.parse("public.slow"), RefreshMode.STANDARD,
                    RefreshTimeouts.of(Duration.ofSeconds(1), Duration.ofMillis(100)));

            assertThatThrownBy(() -> matviews.refreshes().refresh("slow"))
                    .isInstanceOfSatisfying(MatviewException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_STATEMENT_TIMEOUT));
            assertThat(matviews.registry().get("slow").lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
            assertThat(setting(pool, "statement_timeout")).isEqualTo("0");
            assertThat(setting(pool, "lock_timeout")).isEqualTo("0");
        }
    }

    private static String setting(DataSource pool, String name) throws SQLException {
        try (Connection connection = pool.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            row.next();
            return row.getString(1);
        }
    }
}
