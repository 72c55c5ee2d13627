package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy is a real PgBouncer: in transaction pooling clients share backends and session state travels between
 * them; in session pooling it does not.
 */
class PgBouncerExtensionTest {

    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PgBouncerExtension BOUNCER = PgBouncerExtension.transactionPooling(PG, 1);
    @RegisterExtension
    @Order(3)
    static final PgBouncerExtension SESSION_POOLING = PgBouncerExtension.sessionPooling(PG, 2);

    @Test
    void reachesTheTestDatabaseThroughTheProxy() throws SQLException {
        try (Connection connection = BOUNCER.connection()) {
            assertThat(query(connection, "SELECT current_database()")).isEqualTo(PG.databaseName());
            assertThat(query(connection, "SELECT inet_server_port()::text"))
                    .isEqualTo(PG.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"));
        }
        assertThat(BOUNCER.jdbcUrl()).contains("prepareThreshold=0").doesNotContain(PG.jdbcUrl());
    }

    @Test
    void twoClientsShareOneBackendAndASessionSettingOfOneReachesTheOther() throws SQLException {
        try (Connection first = BOUNCER.connection(); Connection second = BOUNCER.connection()) {
            String backend = query(first, "SELECT pg_backend_pid()::text");
            execute(first, "SET application_name = 'set-by-first'");

            assertThat(query(second, "SELECT pg_backend_pid()::text")).isEqualTo(backend);
            assertThat(query(second, "SELECT current_setting('application_name')")).isEqualTo("set-by-first");
        }
    }

    @Test
    void aSessionLockTakenThroughTheProxyStaysOnTheBackendForOtherClients() throws SQLException {
        try (Connection first = BOUNCER.connection(); Connection second = BOUNCER.connection()) {
            assertThat(query(first, "SELECT pg_try_advisory_lock(42)::text")).isEqualTo("true");

            // The "other" client is on the same backend, which holds the lock: it gets it too (re-entrant).
            assertThat(query(second, "SELECT pg_try_advisory_lock(42)::text")).isEqualTo("true");
            assertThat(query(second, "SELECT pg_advisory_unlock_all()::text")).isEmpty();
        }
    }

    @Test
    void inSessionPoolingEachClientKeepsItsOwnBackendAndSettings() throws SQLException {
        try (Connection first = SESSION_POOLING.connection(); Connection second = SESSION_POOLING.connection()) {
            String backend = query(first, "SELECT pg_backend_pid()::text");
            execute(first, "SET application_name = 'set-by-first'");

            assertThat(query(second, "SELECT pg_backend_pid()::text")).isNotEqualTo(backend);
            assertThat(query(second, "SELECT current_setting('application_name')")).isNotEqualTo("set-by-first");
            assertThat(query(first, "SELECT pg_backend_pid()::text")).isEqualTo(backend);
            assertThat(query(first, "SELECT current_setting('application_name')")).isEqualTo("set-by-first");
        }
    }

    @Test
    void stoppingItEndsItsServerConnections() throws SQLException {
        try (Connection client = BOUNCER.connection()) {
            long backend = Long.parseLong(query(client, "SELECT pg_backend_pid()::text"));
            assertThat(PG.queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid = " + backend)).isEqualTo(1);

            BOUNCER.afterEach(null);

            Await.until("the backend behind the proxy to end",
                    () -> PG.queryLong("SELECT count(*) FROM pg_stat_activity WHERE pid = " + backend) == 0);
            assertThatThrownBy(() -> query(client, "SELECT 1")).isInstanceOf(SQLException.class);
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            String value = row.getString(1);
            return value == null ? "" : value;
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
