package dev.ayb.matviews.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the binaries zonky publishes on Maven Central, so tests and the demo need
 * neither an installed PostgreSQL nor Docker.
 *
 * <p>The server listens on {@code localhost} only, over TCP, with trust authentication for user {@code postgres}
 * and durability switched off. It works when the JVM runs as root (as in many containers and CI machines), which
 * PostgreSQL itself refuses: the server then runs as an unprivileged user, {@code nobody} by default.
 *
 * <p>{@link #stop()} and {@link #start()} may alternate: the server comes back on the same port with the same data,
 * which is what fault-injection tests need. {@link #close()} stops it for good and deletes a temporary data
 * directory. A JVM shutdown hook closes servers the caller forgot, so an interrupted test run leaves no
 * {@code postgres} processes behind.
 *
 * <pre>{@code
 * try (EmbeddedPostgres postgres = EmbeddedPostgres.startTemporary()) {
 *     Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
 * }
 * }</pre>
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String HOST = "localhost";
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final String DEFAULT_DATABASE = "postgres";
    static final String LOG_FILE_NAME = "embedded-postgres.log";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** Headroom over pg_ctl's own {@code -t}, so that pg_ctl reports the time-out rather than us killing it. */
    private static final Duration COMMAND_GRACE = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 3;

    private enum State { NEW, RUNNING, STOPPED, CLOSED }

    private final int requestedPort;
    private final @Nullable Path persistentDataDirectory;
    /** The given data directory was made for this server alone (a replica's base backup), so close deletes it. */
    private final boolean ownsDataDirectory;
    private final String unprivilegedUser;
    private final ServerSettings settings;
    private final Thread shutdownHook = new Thread(this::closeAtJvmExit, "ayb-embedded-postgres-shutdown");

    private State state = State.NEW;
    /** The three are null until the first {@link #start()} installs the binaries and makes the data directory. */
    private @Nullable Path binDirectory;
    private @Nullable ServerUser serverUser;
    private @Nullable Path dataDirectory;
    private int port;

    private EmbeddedPostgres(Builder builder) {
        this.requestedPort = builder.port;
        this.persistentDataDirectory = builder.dataDirectory;
        this.ownsDataDirectory = builder.ownsDataDirectory;
        this.unprivilegedUser = builder.unprivilegedUser;
        this.settings = builder.settings.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a server on a free port with a fresh data directory that {@link #close()} deletes: what a test wants.
     * (Named apart from the instance method {@link #start()}, which Java would not allow to share its signature.)
     */
    public static EmbeddedPostgres startTemporary() {
        return builder().build().start();
    }

    /**
     * Starts the server, or starts it again after {@link #stop()} on the same port and data. The first start
     * unpacks the binaries if no earlier run did, and creates the cluster if the data directory has none.
     *
     * @return this server, for chaining after {@link Builder#build()}
     * @throws IllegalStateException if the server was closed, or did not start (with the server log)
     */
    public synchronized EmbeddedPostgres start() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("This embedded PostgreSQL was closed; build a new one");
        }
        if (state == State.RUNNING) {
            return this;
        }
        long startNanos = System.nanoTime();
        boolean firstStart = state == State.NEW;
        try {
            if (firstStart) {
                prepare();
            }
            stopServerLeftByKilledJvm();
            startServer();
        } catch (RuntimeException e) {
            if (firstStart) {
                closeAfterFailedFirstStart(e);
            }
            throw e;
        }
        state = State.RUNNING;
        LOG.info("Embedded PostgreSQL started on port {} as {} in {} ms (data: {})", port, serverUser.describe(),
                (System.nanoTime() - startNanos) / 1_000_000, dataDirectory);
        return this;
    }

    /**
     * Stops the server and keeps the data for a later {@link #start()}. Fast shutdown: open sessions are cut off,
     * as in a real outage.
     */
    public synchronized void stop() {
        if (state != State.RUNNING) {
            return;
        }
        state = State.STOPPED; // even if stopping fails, another attempt would fail the same way
        ProcessRunner.Result fast = pgCtl("-D", dataDirectory.toString(), "-m", "fast", "-w",
                "-t", seconds(STOP_TIMEOUT), "stop");
        if (!fast.succeeded()) {
            ProcessRunner.Result immediate = pgCtl("-D", dataDirectory.toString(), "-m", "immediate", "-w", "stop");
            if (!immediate.succeeded()) {
                throw new IllegalStateException("Could not stop embedded PostgreSQL: " + fast.describe() + "\n"
                        + immediate.describe());
            }
        }
    }

    /** Stops the server and deletes a temporary data directory. Calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        try {
            stop();
        } finally {
            state = State.CLOSED;
            deleteTemporaryDataDirectory();
            removeShutdownHook();
        }
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /** The TCP port; fixed by the first {@link #start()} and kept across restarts. */
    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("No port yet: the server was never started");
        }
        return port;
    }

    /** {@code jdbc:postgresql://localhost:<port>/postgres}: the database every new cluster has. */
    public String jdbcUrl() {
        return jdbcUrl(DEFAULT_DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/"
                + URLEncoder.encode(Objects.requireNonNull(database, "database"), StandardCharsets.UTF_8);
    }

    /** A URL that carries the credentials too, for tools that take nothing but a URL. */
    public String urlWithCredentials(String database) {
        return jdbcUrl(database) + "?user=" + USER + "&password=" + PASSWORD;
    }

    /** The superuser {@code initdb} created. */
    public String user() {
        return USER;
    }

    /**
     * Authentication is {@code trust}, so any password works; one is given anyway so that configuration written
     * for a real server (which needs one) works unchanged.
     */
    public String password() {
        return PASSWORD;
    }

    /** The cluster's directory; a temporary one exists from the first {@link #start()} until {@link #close()}. */
    public synchronized Path dataDirectory() {
        if (dataDirectory == null) {
            throw new IllegalStateException("No data directory yet: the server was never started");
        }
        return dataDirectory;
    }

    /** The server's log (inside the data directory), where start-up and crash messages go. */
    public Path logFile() {
        return dataDirectory().resolve(LOG_FILE_NAME);
    }

    /** Its {@code postgresql.conf} settings, which a standby of this server starts from. */
    ServerSettings settings() {
        return settings.copy();
    }

    String unprivilegedUser() {
        return unprivilegedUser;
    }

    private void prepare() {
        binDirectory = PostgresBinaries.installation().resolve("bin");
        serverUser = ServerUser.forThisJvm(unprivilegedUser);
        serverUser.ensureReachable(binDirectory);
        try {
            if (persistentDataDirectory == null) {
                dataDirectory = Files.createTempDirectory("ayb-postgres-data-");
            } else {
                dataDirectory = Files.createDirectories(persistentDataDirectory.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a PostgreSQL data directory", e);
        }
        // From here on there is something to clean up, so the hook must be in place before anything can fail.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        serverUser.ensureReachable(dataDirectory);
        serverUser.takeOwnership(dataDirectory);
        if (!Files.exists(dataDirectory.resolve("PG_VERSION"))) {
            initdb();
        }
    }

    private void initdb() {
        ProcessRunner.Result initdb = run(START_TIMEOUT, binDirectory.resolve("initdb").toString(),
                "-D", dataDirectory.toString(), "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C",
                // No fsync of the new cluster: it only has to survive this test run.
                "--no-sync");
        if (!initdb.succeeded()) {
            throw new IllegalStateException("initdb failed for " + dataDirectory + ": " + initdb.describe());
        }
    }

    /**
     * A JVM killed with SIGKILL runs no shutdown hook, so its server may still hold a persistent data directory
     * (and a start that timed out may have left one running too).
     */
    private void stopServerLeftByKilledJvm() {
        if (binDirectory != null && dataDirectory != null && Files.exists(dataDirectory.resolve("postmaster.pid"))
                && pgCtl("-D", dataDirectory.toString(), "status").succeeded()) {
            LOG.warn("Stopping a PostgreSQL server still running on {}, left behind by an earlier run", dataDirectory);
            pgCtl("-D", dataDirectory.toString(), "-m", "immediate", "-w", "stop");
        }
    }

    private void startServer() {
        for (int attempt = 1; ; attempt++) {
            boolean portChosenHere = port == 0 && requestedPort == 0;
            int candidatePort = port != 0 ? port : requestedPort != 0 ? requestedPort : freePort();
            long logOffset = logSize();
            ProcessRunner.Result pgCtl = pgCtl("-D", dataDirectory.toString(), "-l", logFile().toString(),
                    "-w", "-t", seconds(START_TIMEOUT), "-o", settings.asPgCtlOptions(candidatePort), "start");
            if (pgCtl.succeeded()) {
                port = candidatePort;
                return;
            }
            String log = logSince(logOffset);
            // The free port we picked can be taken by someone else before the server binds it.
            if (portChosenHere && attempt < PORT_ATTEMPTS && log.contains("could not bind")) {
                LOG.info("Port {} was taken meanwhile; trying another", candidatePort);
                continue;
            }
            throw new IllegalStateException("Embedded PostgreSQL did not start on port " + candidatePort + ": "
                    + pgCtl.describe() + "\nServer log (" + logFile() + "):\n" + log.strip());
        }
    }

    private ProcessRunner.Result pgCtl(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = binDirectory.resolve("pg_ctl").toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return run(START_TIMEOUT, command);
    }

    private ProcessRunner.Result run(Duration timeout, String... command) {
        // The working directory must be one the server user may enter; the JVM's (e.g. /root) may not be.
        return ProcessRunner.run(serverUser.command(List.of(command)), binDirectory, timeout.plus(COMMAND_GRACE));
    }

    private long logSize() {
        try {
            return Files.exists(logFile()) ? Files.size(logFile()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        try (InputStream in = Files.newInputStream(logFile())) {
            in.skipNBytes(offset);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void deleteTemporaryDataDirectory() {
        if ((persistentDataDirectory != null && !ownsDataDirectory) || dataDirectory == null) {
            return;
        }
        try {
            Directories.deleteRecursively(dataDirectory);
        } catch (IOException e) {
            LOG.warn("Could not delete the temporary PostgreSQL data directory {}", dataDirectory, e);
        }
    }

    /** Nothing was handed out yet, so nothing may linger: not a half-started server, a temp directory or the hook. */
    private void closeAfterFailedFirstStart(RuntimeException failure) {
        state = State.CLOSED;
        try {
            stopServerLeftByKilledJvm();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        deleteTemporaryDataDirectory();
        removeShutdownHook();
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // close() is running inside this very hook, or another one; either way the JVM is on its way out.
        }
    }

    private void closeAtJvmExit() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Could not close embedded PostgreSQL at JVM exit", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free TCP port", e);
        }
    }

    private static String seconds(Duration duration) {
        return Long.toString(duration.toSeconds());
    }

    /** Configures an {@link EmbeddedPostgres}; every setting has a default fit for tests. */
    public static final class Builder {

        private int port;
        private @Nullable Path dataDirectory;
        private boolean ownsDataDirectory;
        private String unprivilegedUser = "nobody";
        private ServerSettings settings = ServerSettings.forTests();

        private Builder() {
        }

        /** The TCP port; {@code 0} (the default) picks a free one at the first start. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("Not a TCP port: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * A data directory that outlives the server, e.g. for a demo whose data should survive restarts; it is
         * created and initialised if it holds no cluster yet. Without one, each server gets a temporary directory
         * that {@link EmbeddedPostgres#close()} deletes.
         */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /**
         * A data directory prepared for this server alone, e.g. a base backup for a standby: used like
         * {@link #dataDirectory(Path)}, but deleted by {@link EmbeddedPostgres#close()} like a temporary one.
         */
        Builder ownedDataDirectory(Path dataDirectory) {
            dataDirectory(dataDirectory);
            this.ownsDataDirectory = true;
            return this;
        }

        /** Starts from another server's settings instead of the defaults (a standby needs the primary's). */
        Builder settings(ServerSettings settings) {
            this.settings = settings.copy();
            return this;
        }

        /** The user the server runs as when the JVM runs as root (PostgreSQL refuses root); default {@code nobody}. */
        public Builder unprivilegedUser(String userName) {
            this.unprivilegedUser = Objects.requireNonNull(userName, "userName");
            return this;
        }

        /** Sets or overrides one {@code postgresql.conf} setting, e.g. {@code setting("max_connections", "50")}. */
        public Builder setting(String name, String value) {
            settings.set(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /** A server that is not started yet: call {@link EmbeddedPostgres#start()}. */
        public EmbeddedPostgres build() {
            return new EmbeddedPostgres(this);
        }
    }
}
