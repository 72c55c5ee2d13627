package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExtensionTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void connectsToAFreshDatabaseOfItsOwn() throws SQLException {
        assertThat(PG.databaseName()).matches("ayb_test_[0-9a-f]{16}");
        assertThat(PG.jdbcUrl()).endsWith("/" + PG.databaseName());
        try (Connection connection = PG.connection()) {
            assertThat(query(connection, "SELECT current_database()")).isEqualTo(PG.databaseName());
            assertThat(query(connection, "SELECT current_user")).isEqualTo(PG.user());
            assertThat(query(connection, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                    .isEqualTo("0");
        }
    }

    @Test
    void runsOnTheEmbeddedServerWhenNothingElseIsConfigured() {
        if (System.getenv(PostgresServer.URL_VARIABLE) == null) {
            assertThat(PG.postgresServer().kind()).isEqualTo(PostgresServer.Kind.EMBEDDED);
            assertThat(PG.server()).containsSame(PG.postgresServer().embedded().orElseThrow());
        }
        assertThat(PG.postgresServer()).isSameAs(PostgresServer.shared());
        assertThat(PG.postgresServer().version())
                .startsWith("PostgreSQL " + Integer.getInteger("postgres.major", 17) + ".");
    }

    @Test
    void keepsOtherTestClassesOutOfItsDatabase() throws SQLException {
        PG.execute("CREATE TABLE mine (id int)");
        PostgresExtension otherClass = new PostgresExtension();
        otherClass.beforeAll(null);
        String otherDatabase = otherClass.databaseName();
        try (Connection other = otherClass.connection()) {
            assertThat(otherDatabase).isNotEqualTo(PG.databaseName());
            assertThat(query(other, "SELECT to_regclass('mine') IS NULL")).isEqualTo("t");

            // A lock held in another test class's database is none of this class's business.
            query(other, "SELECT pg_advisory_lock(7)");
            assertThat(PG.heldAdvisoryLocks()).isEmpty();
            assertThat(otherClass.heldAdvisoryLocks()).hasSize(1);
        } finally {
            otherClass.afterAll(null);
        }
        try (Connection connection = PG.connection()) {
            assertThat(query(connection, "SELECT count(*) FROM pg_database WHERE datname = '" + otherDatabase + "'"))
                    .as("dropped even though a session was still connected when the class ended")
                    .isEqualTo("0");
        }
    }

    @Test
    void detectsAdvisoryLocksLeftHeld() throws SQLException {
        assertThat(PG.heldAdvisoryLocks()).isEmpty();
        try (Connection session = PG.connection()) {
            int pid = Integer.parseInt(query(session, "SELECT pg_backend_pid()"));
            query(session, "SELECT pg_advisory_lock(4242424242)");
            query(session, "SELECT pg_advisory_lock_shared(-1, 5)");

            List<HeldAdvisoryLock> locks = PG.heldAdvisoryLocks();

            assertThat(locks).hasSize(2).allSatisfy(lock -> {
                assertThat(lock.pid()).isEqualTo(pid);
                assertThat(lock.granted()).isTrue();
            });
            assertThat(locks).extracting(HeldAdvisoryLock::key).containsExactlyInAnyOrder("4242424242", "-1, 5");
            assertThat(locks).extracting(HeldAdvisoryLock::mode)
                    .containsExactlyInAnyOrder("ExclusiveLock", "ShareLock");
            assertThat(locks.get(0).toString()).contains("pid " + pid, "classid=", "objid=", "pg_advisory_lock");

            query(session, "SELECT pg_advisory_unlock_all()");
            assertThat(PG.heldAdvisoryLocks()).isEmpty();
        }
    }

    @Test
    void detectsATransactionLevelLockUntilTheTransactionEnds() throws SQLException {
        try (Connection session = PG.connection()) {
            session.setAutoCommit(false);
            query(session, "SELECT pg_advisory_xact_lock(99)");
            assertThat(PG.heldAdvisoryLocks()).extracting(HeldAdvisoryLock::key).containsExactly("99");
            session.commit();
            assertThat(PG.heldAdvisoryLocks()).isEmpty();
        }
    }

    @Test
    void poolsConnectToTheTestDatabase() throws SQLException {
        DataSource pool = PG.dataSource();
        assertThat(PG.dataSource()).isSameAs(pool);
        assertThat(pool.unwrap(HikariDataSource.class).getMaximumPoolSize()).isEqualTo(10);

        DataSource secondInstance = PG.newDataSource(3);
        assertThat(secondInstance).isNotSameAs(pool);
        assertThat(secondInstance.unwrap(HikariDataSource.class).getMaximumPoolSize()).isEqualTo(3);

        try (Connection first = pool.getConnection(); Connection second = secondInstance.getConnection()) {
            assertThat(query(first, "SELECT current_database()")).isEqualTo(PG.databaseName());
            assertThat(query(second, "SELECT current_database()")).isEqualTo(PG.databaseName());
            assertThat(query(first, "SELECT pg_backend_pid()")).isNotEqualTo(query(second, "SELECT pg_backend_pid()"));
        }
    }

    @Test
    void survivesARestartOfTheEmbeddedServer() throws SQLException {
        EmbeddedPostgres embedded = PG.server().orElse(null);
        if (embedded == null) {
            return; // only the embedded server can be restarted from here
        }
        PG.execute("CREATE TABLE before_restart (id int)", "INSERT INTO before_restart VALUES (1)");
        int port = embedded.port();
        embedded.stop();
        embedded.start();
        assertThat(embedded.port()).isEqualTo(port);
        try (Connection connection = PG.connection()) {
            assertThat(query(connection, "SELECT id FROM before_restart")).isEqualTo("1");
        }
    }

    @Nested
    class NestedClass {
        @Test
        void sharesTheOuterDatabase() throws SQLException {
            PG.execute("CREATE TABLE IF NOT EXISTS seen_from_nested (id int)");
            try (Connection connection = PG.connection()) {
                assertThat(query(connection, "SELECT current_database()")).isEqualTo(PG.databaseName());
            }
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
