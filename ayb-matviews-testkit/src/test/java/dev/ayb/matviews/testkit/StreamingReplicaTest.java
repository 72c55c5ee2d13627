package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The replica is a real hot standby of the shared embedded server: it follows the primary's writes, stops
 * following them while replay is paused, and refuses connections while stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamingReplicaTest {

    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    static final ReplicaExtension REPLICA = new ReplicaExtension(PG);

    @Test
    @Order(1)
    void isAHotStandbyOfTheTestDatabaseOnItsOwnPort() throws SQLException {
        try (Connection connection = REPLICA.connection()) {
            assertThat(query(connection, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
            assertThat(query(connection, "SELECT current_database()")).isEqualTo(PG.databaseName());
            assertThat(connection.getMetaData().getURL()).isNotEqualTo(PG.jdbcUrl());
        }
        assertThat(REPLICA.replica().port()).isNotEqualTo(PG.server().orElseThrow().port());
    }

    @Test
    @Order(2)
    void aWriteOnThePrimaryIsVisibleOnTheReplicaOnceReplayed() throws SQLException {
        PG.execute("CREATE TABLE replicated (id int PRIMARY KEY)", "INSERT INTO replicated VALUES (1), (2)");

        REPLICA.waitForReplay();

        assertThat(count(REPLICA.dataSource(), "replicated")).isEqualTo(2);
    }

    @Test
    @Order(3)
    void refusesWrites() throws SQLException {
        try (Connection connection = REPLICA.connection(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("CREATE TABLE not_here (id int)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only transaction");
        }
    }

    @Test
    @Order(4)
    void pausedReplayHidesNewWritesUntilResumed() throws SQLException {
        PG.execute("CREATE TABLE lagging (id int)");
        REPLICA.waitForReplay();

        REPLICA.pauseReplay();
        try {
            PG.execute("INSERT INTO lagging VALUES (1)");
            assertThatThrownBy(REPLICA::waitForReplay).hasMessageContaining("paused");
            assertThat(count(REPLICA.dataSource(), "lagging")).isZero();
        } finally {
            REPLICA.resumeReplay();
        }

        REPLICA.waitForReplay();
        assertThat(count(REPLICA.dataSource(), "lagging")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void stoppedRefusesConnectionsAndCatchesUpWhenStartedAgain() throws SQLException {
        PG.execute("CREATE TABLE during_outage (id int)");
        REPLICA.stop();
        try {
            assertThatThrownBy(REPLICA::connection)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("Connection to localhost:" + REPLICA.replica().port() + " refused");
            PG.execute("INSERT INTO during_outage VALUES (1), (2), (3)");
        } finally {
            REPLICA.start();
        }

        assertThat(count(REPLICA.dataSource(), "during_outage")).isEqualTo(3);
    }

    @Test
    @Order(6)
    void closeRemovesItsDataDirectoryAndItsSlotOnThePrimary() throws SQLException {
        EmbeddedPostgres primary = PG.server().orElseThrow();
        StreamingReplica replica = StreamingReplica.startOf(primary);
        Path dataDirectory = replica.server().dataDirectory();
        assertThat(Files.exists(dataDirectory.resolve("standby.signal"))).isTrue();
        assertThat(PG.queryLong("SELECT count(*) FROM pg_replication_slots WHERE active")).isEqualTo(2);

        replica.close();

        assertThat(dataDirectory).doesNotExist();
        assertThat(PG.queryLong("SELECT count(*) FROM pg_replication_slots")).isEqualTo(1);
    }

    private static long count(DataSource dataSource, String table) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return Long.parseLong(query(connection, "SELECT count(*) FROM " + table));
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
