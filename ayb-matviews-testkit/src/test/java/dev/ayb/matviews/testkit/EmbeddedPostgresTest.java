package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

    private static final int EXPECTED_MAJOR = Integer.getInteger("postgres.major", 17);

    /** Shared by the tests that only read from it: each start costs about a second. */
    private static EmbeddedPostgres shared;

    @BeforeAll
    static void startShared() {
        shared = EmbeddedPostgres.startTemporary();
    }

    @AfterAll
    static void closeShared() {
        shared.close();
    }

    @Test
    void answersWithTheExpectedMajorVersion() throws SQLException {
        assertThat(query(shared.jdbcUrl(), "SELECT version()")).startsWith("PostgreSQL " + EXPECTED_MAJOR + ".");
        assertThat(Integer.parseInt(query(shared.jdbcUrl(), "SHOW server_version_num")) / 10_000)
                .isEqualTo(EXPECTED_MAJOR);
    }

    @Test
    void describesItselfWithLocalhostUrlsAndPostgresCredentials() {
        int port = shared.port();
        assertThat(shared.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/postgres");
        assertThat(shared.jdbcUrl("app")).isEqualTo("jdbc:postgresql://localhost:" + port + "/app");
        assertThat(shared.urlWithCredentials("app"))
                .isEqualTo("jdbc:postgresql://localhost:" + port + "/app?user=postgres&password=postgres");
        assertThat(shared.user()).isEqualTo("postgres");
        assertThat(shared.password()).isEqualTo("postgres");
        assertThat(shared.isRunning()).isTrue();
    }

    @Test
    void acceptsTheUrlWithCredentialsAlone() throws SQLException {
        try (Connection connection = DriverManager.getConnection(shared.urlWithCredentials("postgres"))) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void runsWithTheTestSettings() throws SQLException {
        assertThat(query(shared.jdbcUrl(), "SHOW max_connections")).isEqualTo("300");
        assertThat(query(shared.jdbcUrl(), "SHOW fsync")).isEqualTo("off");
        assertThat(query(shared.jdbcUrl(), "SHOW unix_socket_directories")).isEmpty();
        assertThat(query(shared.jdbcUrl(), "SHOW server_encoding")).isEqualTo("UTF8");
    }

    @Test
    void givesTheDataDirectoryToTheServerUserWhenRunningAsRoot() throws Exception {
        Path dataDirectory = shared.dataDirectory();
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            assertThat(Files.getOwner(dataDirectory).getName()).isEqualTo("nobody");
        } else {
            assertThat(Files.getOwner(dataDirectory).getName()).isEqualTo(System.getProperty("user.name"));
        }
        assertThat(Files.getPosixFilePermissions(dataDirectory)).isEqualTo(FileModes.of(0700));
    }

    @Test
    void restartsOnTheSamePortWithItsDataWhileClientsWereConnected() throws SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.startTemporary()) {
            int port = postgres.port();
            execute(postgres.jdbcUrl(), "CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (42)");

            try (Connection connectedDuringStop = connect(postgres.jdbcUrl())) {
                postgres.stop();
                assertThat(postgres.isRunning()).isFalse();
                assertThatThrownBy(() -> query(connectedDuringStop, "SELECT 1")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> connect(postgres.jdbcUrl())).isInstanceOf(SQLException.class);
            }

            postgres.start();
            assertThat(postgres.port()).isEqualTo(port);
            assertThat(query(postgres.jdbcUrl(), "SELECT id FROM kept")).isEqualTo("42");
        }
    }

    @Test
    void stopAndCloseCanBeRepeated() {
        EmbeddedPostgres postgres = EmbeddedPostgres.startTemporary();
        postgres.stop();
        postgres.stop();
        postgres.close();
        postgres.close();
        assertThatThrownBy(postgres::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeDeletesTheTemporaryDataDirectory() {
        Path dataDirectory;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.startTemporary()) {
            dataDirectory = postgres.dataDirectory();
            assertThat(dataDirectory.resolve("PG_VERSION")).exists();
        }
        assertThat(dataDirectory).doesNotExist();
    }

    @Test
    void runsBesideAnotherInstance() throws SQLException {
        try (EmbeddedPostgres second = EmbeddedPostgres.startTemporary()) {
            assertThat(second.port()).isNotEqualTo(shared.port());
            execute(second.jdbcUrl(), "CREATE TABLE only_in_second (id int)");
            assertThat(query(second.jdbcUrl(), "SELECT to_regclass('only_in_second') IS NOT NULL")).isEqualTo("t");
            assertThat(query(shared.jdbcUrl(), "SELECT to_regclass('only_in_second') IS NOT NULL")).isEqualTo("f");
        }
    }

    @Test
    void keepsAPersistentDataDirectoryAcrossInstancesOnAGivenPort(@TempDir Path parent) throws Exception {
        Path dataDirectory = parent.resolve("pgdata");
        int port = freePort();
        try (EmbeddedPostgres first = EmbeddedPostgres.builder().port(port).dataDirectory(dataDirectory).build()) {
            first.start();
            assertThat(first.port()).isEqualTo(port);
            execute(first.jdbcUrl(), "CREATE TABLE survives (id int)");
        }
        assertThat(dataDirectory.resolve("PG_VERSION")).exists();

        try (EmbeddedPostgres second = EmbeddedPostgres.builder().dataDirectory(dataDirectory).build().start()) {
            assertThat(query(second.jdbcUrl(), "SELECT to_regclass('survives') IS NOT NULL")).isEqualTo("t");
        }
        assertThat(dataDirectory.resolve("PG_VERSION")).exists();
    }

    @Test
    void reportsTheServerLogWhenTheServerDoesNotStart() {
        EmbeddedPostgres broken = EmbeddedPostgres.builder().setting("shared_buffers", "lots").build();
        assertThatThrownBy(broken::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start")
                .hasMessageContaining("shared_buffers");
        assertThat(broken.isRunning()).isFalse();
        assertThatThrownBy(broken::start).hasMessageContaining("closed");
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "postgres", "postgres");
    }

    private static String query(String url, String sql) throws SQLException {
        try (Connection connection = connect(url)) {
            return query(connection, sql);
        }
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection connection = connect(url); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
