package dev.ayb.matviews.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PgBouncer (Debian's {@code pgbouncer} binary) in front of a {@link PostgresServer}, for tests of what a
 * connection pooler does to sessions: in transaction pooling, consecutive transactions of one client connection
 * may run on different server backends, and one backend serves many clients in turn.
 *
 * <p>It listens on a free port of 127.0.0.1, passes every database through to the server, and authenticates
 * clients (md5) with the server's own user and password, which it also uses to log in to the server. Like the
 * embedded server it refuses to run as root, so a root JVM runs it as the same unprivileged user, the same way
 * ({@code setpriv} or {@code runuser}). It runs in the foreground as a child process, with its temporary
 * directory (configuration, user list, log) deleted by {@link #close()}.
 *
 * <p>Clients must not use server-side prepared statements, which belong to one backend: the URLs from
 * {@link #jdbcUrl(String)} set {@code prepareThreshold=0}.
 */
public final class PgBouncer implements AutoCloseable {

    /** Where Debian's package puts the binary. */
    public static final RequiredTool TOOL =
            new RequiredTool("pgbouncer", Path.of("/usr/sbin/pgbouncer"), "apt-get install -y pgbouncer");

    private static final Logger LOG = LoggerFactory.getLogger(PgBouncer.class);
    private static final String LISTEN_HOST = "127.0.0.1";
    /** Same default as {@link EmbeddedPostgres}. */
    private static final String UNPRIVILEGED_USER = "nobody";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;

    /** PgBouncer's {@code pool_mode}: when a server connection goes back to the pool. */
    public enum PoolMode {
        /** After each transaction: what makes session state (session locks, {@code SET}) unsafe. */
        TRANSACTION,
        /** When the client disconnects: sessions behave as on a direct connection. */
        SESSION
    }

    private final Path directory;
    private final Process process;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private PgBouncer(Path directory, Process process, int port) {
        this.directory = directory;
        this.process = process;
        this.port = port;
        this.shutdownHook = new Thread(this::close, "ayb-pgbouncer-shutdown");
    }

    /**
     * Starts PgBouncer in front of {@code server}.
     *
     * @param poolSize {@code default_pool_size}: server connections per database and user; keep it small so that
     *                 clients really share backends
     * @throws IllegalStateException if it did not start (with its log)
     */
    public static PgBouncer start(PostgresServer server, PoolMode mode, int poolSize) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(mode, "mode");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        }
        Path binary = TOOL.executable();
        ServerUser user = ServerUser.forThisJvm(UNPRIVILEGED_USER);
        Path directory;
        try {
            directory = Files.createTempDirectory("ayb-pgbouncer-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory for PgBouncer", e);
        }
        try {
            for (int attempt = 1; ; attempt++) {
                int port = EmbeddedPostgres.freePort();
                writeConfiguration(directory, server, mode, poolSize, port);
                user.ensureReachable(directory);
                user.takeOwnership(directory);
                Process process = launch(user, binary, directory);
                if (awaitListening(process, port)) {
                    PgBouncer bouncer = new PgBouncer(directory, process, port);
                    Runtime.getRuntime().addShutdownHook(bouncer.shutdownHook);
                    LOG.info("PgBouncer ({} pooling, pool size {}) listens on {}:{} as {}, in front of {}",
                            mode.name().toLowerCase(Locale.ROOT), poolSize, LISTEN_HOST, port, user.describe(),
                            server.maintenanceJdbcUrl());
                    return bouncer;
                }
                String log = readLog(directory);
                // The free port we picked can be taken by someone else before PgBouncer binds it.
                if (attempt < PORT_ATTEMPTS && log.contains("in use")) {
                    LOG.info("Port {} was taken meanwhile; trying another", port);
                    continue;
                }
                throw new IllegalStateException("PgBouncer did not start on port " + port + " (exit code "
                        + (process.isAlive() ? "none, still running" : process.exitValue()) + "):\n" + log.strip());
            }
        } catch (RuntimeException e) {
            deleteQuietly(directory);
            throw e;
        }
    }

    /** The port on 127.0.0.1 it listens on. */
    public int port() {
        return port;
    }

    /** A URL for {@code database} through the proxy, without credentials (the server's user and password work). */
    public String jdbcUrl(String database) {
        // Named server-side prepared statements live in one backend; the next transaction may run on another.
        return "jdbc:postgresql://" + LISTEN_HOST + ":" + port + "/" + database + "?prepareThreshold=0";
    }

    /** Stops it at once (SIGTERM: immediate shutdown), closing every client and server connection. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("PgBouncer did not stop within {}; killing it", STOP_TIMEOUT);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            deleteQuietly(directory);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shutdownInProgress) {
                // Running inside the hook itself, or the JVM is exiting anyway.
            }
        }
    }

    private static void writeConfiguration(Path directory, PostgresServer server, PoolMode mode, int poolSize,
                                           int port) {
        String upstream = PostgresJdbcUrl.parse(server.maintenanceJdbcUrl()).hosts();
        int colon = upstream.lastIndexOf(':');
        String host = colon < 0 ? upstream : upstream.substring(0, colon);
        String upstreamPort = colon < 0 ? "5432" : upstream.substring(colon + 1);
        String ini = String.join("\n",
                "[databases]",
                // Every database name a client asks for is passed through to the server.
                "* = host=" + host.replace("[", "").replace("]", "") + " port=" + upstreamPort,
                "",
                "[pgbouncer]",
                "listen_addr = " + LISTEN_HOST,
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = md5",
                "auth_file = " + directory.resolve("userlist.txt"),
                "pool_mode = " + mode.name().toLowerCase(Locale.ROOT),
                "default_pool_size = " + poolSize,
                "max_client_conn = 500",
                // The JDBC driver sends it at start-up; PgBouncer refuses unknown start-up parameters.
                "ignore_startup_parameters = extra_float_digits",
                "");
        String userList = quoted(server.user()) + " " + quoted(server.password()) + "\n";
        try {
            Files.writeString(directory.resolve("pgbouncer.ini"), ini, StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("userlist.txt"), userList, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write PgBouncer's configuration to " + directory, e);
        }
    }

    /** The user list's quoting: a value in double quotes, a double quote inside doubled. */
    private static String quoted(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static Process launch(ServerUser user, Path binary, Path directory) {
        ProcessBuilder builder = new ProcessBuilder(user.command(List.of(binary.toString(),
                directory.resolve("pgbouncer.ini").toString())))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                // In the foreground it logs to stderr, start-up errors included.
                .redirectOutput(directory.resolve("pgbouncer.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        ProcessRunner.scrubEnvironment(builder.environment());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + binary, e);
        }
    }

    /** True once a client can connect; false if PgBouncer exited (or never listened) first. */
    private static boolean awaitListening(Process process, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LISTEN_HOST, port), 200);
                return true;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while starting PgBouncer", e);
                }
            }
        }
        process.destroyForcibly();
        return false;
    }

    private static String readLog(Path directory) {
        try {
            return Files.readString(directory.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            Directories.deleteRecursively(directory);
        } catch (IOException e) {
            LOG.warn("Could not delete PgBouncer's directory {}", directory, e);
        }
    }
}
