package dev.ayb.matviews.testkit;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Starts {@code postgres:<major>} with Testcontainers. Testcontainers is an optional dependency: only
 * {@link PostgresServer} refers to this class, and only after it found Testcontainers on the classpath, so this class
 * (whose verification would need Testcontainers' classes) is never loaded without it.
 */
final class TestcontainersPostgres {

    private static final String CREDENTIAL = "postgres";

    private TestcontainersPostgres() {
    }

    /** Empty when no Docker engine answers; the caller then falls back to the embedded server. */
    static Optional<PostgresServer> startIfDockerAvailable(int major) {
        // Asking Testcontainers without any sign of Docker makes it log an ERROR per test JVM; look first.
        if (!dockerMayBeThere() || !DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.empty();
        }
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:" + major)
                .withDatabaseName(CREDENTIAL)
                .withUsername(CREDENTIAL)
                .withPassword(CREDENTIAL);
        // The same settings as the embedded server, so tests behave alike on both.
        container.withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "wal_level=logical",
                "-c", "max_replication_slots=64", "-c", "max_wal_senders=64");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "ayb-testcontainers-postgres-shutdown"));
        return Optional.of(PostgresServer.of(PostgresServer.Kind.TESTCONTAINERS,
                PostgresJdbcUrl.parse(container.getJdbcUrl()), container.getUsername(), container.getPassword(), null));
    }

    /** A socket, DOCKER_HOST or a Testcontainers config file: without any of them there is no engine to find. */
    private static boolean dockerMayBeThere() {
        return System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"), ".docker"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(System.getProperty("user.home"),
                        ".testcontainers.properties"));
    }
}
