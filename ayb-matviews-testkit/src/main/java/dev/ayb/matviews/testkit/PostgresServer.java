package dev.ayb.matviews.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PostgreSQL server the tests of a JVM share, started on first use and stopped when the JVM exits. Starting a
 * server per test class would cost seconds each; test classes get their own database on it instead (see
 * {@link PostgresExtension}).
 *
 * <p>The server is, in this order of preference:
 * <ol>
 *   <li>an existing one, when the environment variable {@value #URL_VARIABLE} holds its JDBC URL (user and password
 *       from {@value #USER_VARIABLE} / {@value #PASSWORD_VARIABLE}, else from the URL's {@code user} /
 *       {@code password} parameters, else {@code postgres} / empty) — for developers with a local server;</li>
 *   <li>a Testcontainers {@code postgres:<major>} container, when Testcontainers is on the classpath (it is an
 *       optional dependency) and a Docker engine answers;</li>
 *   <li>an {@link EmbeddedPostgres}, which needs nothing but this library.</li>
 * </ol>
 * {@code <major>} is the system property {@code postgres.major} (default 17), which the build also uses to choose
 * the embedded binaries.
 */
public final class PostgresServer {

    public static final String URL_VARIABLE = "AYB_TEST_DATABASE_URL";
    public static final String USER_VARIABLE = "AYB_TEST_DATABASE_USER";
    public static final String PASSWORD_VARIABLE = "AYB_TEST_DATABASE_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String DEFAULT_MAJOR = "17";

    /** Where the shared server came from. */
    public enum Kind { EXTERNAL, TESTCONTAINERS, EMBEDDED }

    private static @Nullable PostgresServer shared;

    private final Kind kind;
    private final PostgresJdbcUrl url;
    private final String user;
    private final String password;
    private final @Nullable EmbeddedPostgres embedded;

    private PostgresServer(Kind kind, PostgresJdbcUrl url, String user, String password,
                           @Nullable EmbeddedPostgres embedded) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    static PostgresServer of(Kind kind, PostgresJdbcUrl url, String user, String password,
                             @Nullable EmbeddedPostgres embedded) {
        return new PostgresServer(Objects.requireNonNull(kind), Objects.requireNonNull(url), user, password, embedded);
    }

    /** The JVM-wide server, started (or connected to) on the first call. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            PostgresServer chosen = choose();
            String version = chosen.version();
            LOG.info("Tests use {} PostgreSQL at {}: {}", chosen.kind.name().toLowerCase(Locale.ROOT),
                    chosen.maintenanceJdbcUrl(), version);
            shared = chosen;
        }
        return shared;
    }

    private static PostgresServer choose() {
        Optional<PostgresServer> external = external(System.getenv());
        if (external.isPresent()) {
            return external.get();
        }
        int major = Integer.parseInt(System.getProperty("postgres.major", DEFAULT_MAJOR));
        if (testcontainersOnClasspath()) {
            Optional<PostgresServer> container = TestcontainersPostgres.startIfDockerAvailable(major);
            if (container.isPresent()) {
                return container.get();
            }
            LOG.info("Testcontainers is on the classpath but no Docker engine answers; using embedded PostgreSQL");
        }
        return embedded(EmbeddedPostgres.startTemporary());
    }

    /** The server named by {@value #URL_VARIABLE} in {@code environment}, if any. */
    static Optional<PostgresServer> external(Map<String, String> environment) {
        String url = environment.get(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        PostgresJdbcUrl parsed = PostgresJdbcUrl.parse(url.strip());
        String user = Optional.ofNullable(environment.get(USER_VARIABLE))
                .or(() -> parsed.parameter("user"))
                .orElse("postgres");
        String password = Optional.ofNullable(environment.get(PASSWORD_VARIABLE))
                .or(() -> parsed.parameter("password"))
                .orElse("");
        return Optional.of(of(Kind.EXTERNAL, parsed, user, password, null));
    }

    static PostgresServer embedded(EmbeddedPostgres postgres) {
        return of(Kind.EMBEDDED, PostgresJdbcUrl.parse(postgres.jdbcUrl()), postgres.user(), postgres.password(),
                postgres);
    }

    private static boolean testcontainersOnClasspath() {
        try {
            ClassLoader loader = PostgresServer.class.getClassLoader();
            Class<?> factory = Class.forName("org.testcontainers.DockerClientFactory", false, loader);
            Class<?> container = Class.forName("org.testcontainers.postgresql.PostgreSQLContainer", false, loader);
            // Testcontainers splits a package between its jars, so it can only be on the class path. When this
            // module runs on the module path, it reads the class path only once it says so (on the class path
            // itself, this is a no-op).
            Module testkit = PostgresServer.class.getModule();
            testkit.addReads(factory.getModule());
            testkit.addReads(container.getModule());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The embedded server, when that is what runs: tests may stop and restart it to inject faults. */
    public Optional<EmbeddedPostgres> embedded() {
        return Optional.ofNullable(embedded);
    }

    /**
     * The database the server was reached through ({@code postgres}, or the one in {@value #URL_VARIABLE}); test
     * databases are created and dropped from there.
     */
    public String maintenanceDatabase() {
        return url.database().isEmpty() ? "postgres" : url.database();
    }

    public String maintenanceJdbcUrl() {
        return jdbcUrl(maintenanceDatabase());
    }

    /** A URL for another database on this server, without credentials (see {@link #user()}, {@link #password()}). */
    public String jdbcUrl(String database) {
        return url.forDatabase(database);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** The server's {@code version()} string, e.g. {@code PostgreSQL 17.11 on x86_64-pc-linux-gnu, ...}. */
    public String version() {
        try (Connection connection = DriverManager.getConnection(maintenanceJdbcUrl(), user, password);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version()")) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not query the version of the " + kind + " server at "
                    + maintenanceJdbcUrl() + " as user " + user, e);
        }
    }
}
