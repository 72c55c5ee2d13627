package dev.ayb.matviews.jdbc.reliability;

import dev.ayb.matviews.testkit.reliability.PoolHygiene;
import dev.ayb.matviews.testkit.reliability.Figures;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leak check the suite runs after every test is not vacuous: each kind of leftover it looks for, left on
 * purpose on a pooled connection, is reported. (The dirty connections are then evicted, so the check that
 * follows this test finds the pool clean.)
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class LeakDetectionTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PoolHygiene HYGIENE = PoolHygiene.on(PG);

    @Test
    void everyKindOfLeftoverOnAPooledConnectionIsReported() throws Exception {
        PG.execute("DROP ROLE IF EXISTS ayb_reliability_other", "CREATE ROLE ayb_reliability_other");
        HikariDataSource pool = HYGIENE.pool("dirty", 1);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = '1234ms'");
            statement.execute("SET lock_timeout = '99ms'");
            statement.execute("SET search_path = pg_catalog");
            statement.execute("SET ROLE ayb_reliability_other");
            statement.execute("RESET ROLE");
            statement.execute("SELECT pg_advisory_lock(" + AybMatviews.DEFAULT_LOCK_NAMESPACE + ", 42)");
            statement.execute("SET ROLE ayb_reliability_other");
            statement.execute("BEGIN");
            statement.execute("SELECT 1");
        }

        PoolHygiene.Leftovers leftovers = HYGIENE.leftovers(Duration.ZERO);

        assertThat(leftovers.libraryLocks()).isEqualTo(1);
        assertThat(leftovers.dirtyConnections()).singleElement().asString().contains("statement_timeout = 1234ms",
                "lock_timeout = 99ms", "search_path = pg_catalog", "SET ROLE", "advisory lock(s) held by the pooled",
                "a transaction was left open");
        try (Connection connection = pool.getConnection()) {
            pool.evictConnection(connection);
        }
        PG.execute("DROP ROLE ayb_reliability_other");
        assertThat(HYGIENE.leftovers().isEmpty()).isTrue();
    }
}
