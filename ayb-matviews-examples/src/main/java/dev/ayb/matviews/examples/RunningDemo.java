package dev.ayb.matviews.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.AybAdminServlet;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The demo, started: PostgreSQL (embedded unless a URL is given), the seed's sample data, the
 * {@code leaderboard} view registered with change tracking, a target lag of {@link #LEADERBOARD_TARGET_LAG} and an
 * hourly schedule, and Jetty serving the admin API. Two
 * demos on one database behave as two instances of one application: everything they create at start is
 * created once.
 */
public final class RunningDemo implements AutoCloseable {
    static final String SCHEDULE_NAME = "leaderboard_hourly";
    /**
     * Short, so that a newcomer who writes a workout sees the leaderboard follow by itself; long enough that the
     * walk-through's own steps (a write, then "refresh if changed") happen well within it.
     */
    static final Duration LEADERBOARD_TARGET_LAG = Duration.ofSeconds(10);

    private final EmbeddedPostgres postgres;
    private final HikariDataSource pool;
    private final AybJobs jobs;
    private final AybAdminServlet servlet;
    private final Server jetty;
    private final String databaseUrl;
    private final String adminToken;
    private final boolean tokenGenerated;
    private boolean closed;

    private RunningDemo(EmbeddedPostgres postgres, HikariDataSource pool, AybJobs jobs, AybAdminServlet servlet,
                        Server jetty, String databaseUrl, String adminToken, boolean tokenGenerated) {
        this.postgres = postgres;
        this.pool = pool;
        this.jobs = jobs;
        this.servlet = servlet;
        this.jetty = jetty;
        this.databaseUrl = databaseUrl;
        this.adminToken = adminToken;
        this.tokenGenerated = tokenGenerated;
    }

    public static RunningDemo start(DemoSettings settings) throws Exception {
        EmbeddedPostgres postgres = null;
        HikariDataSource pool = null;
        AybJobs jobs = null;
        try {
            String url = settings.databaseUrl();
            String user = settings.databaseUser();
            String password = settings.databasePassword();
            if (url == null || url.isBlank()) {
                EmbeddedPostgres.Builder embedded = EmbeddedPostgres.builder();
                if (settings.dataDir() != null) {
                    embedded.dataDirectory(settings.dataDir());
                }
                postgres = embedded.build().start();
                url = postgres.jdbcUrl();
                user = postgres.user();
                password = postgres.password();
            }
            pool = pool(url, user, password);
            SampleDatabase.create(pool, 200);
            AybMatviews matviews = AybMatviews.builder().dataSource(pool).lockMode(settings.lockMode())
                    .changeCapture(settings.changeCapture()).build();
            jobs = AybJobs.builder(matviews).jobsEnabled(settings.jobsEnabled())
                    .jobOptions(JobOptions.defaults().withShutdownGrace(Duration.ofSeconds(3))).build();
            registerLeaderboard(matviews);
            createScheduleOnce(jobs);
            if (settings.jobsEnabled()) {
                jobs.jobRunner().start();
            }
            boolean generated = settings.adminToken() == null || settings.adminToken().isBlank();
            String token = generated ? randomToken() : settings.adminToken();
            AybAdminServlet servlet = new AybAdminServlet(jobs, AdminAuthenticator.bearerToken(token));
            Server jetty = jetty(settings.port(), servlet);
            return new RunningDemo(postgres, pool, jobs, servlet, jetty, withCredentials(url, user, password), token,
                    generated);
        } catch (Exception | Error e) {
            if (jobs != null && jobs.jobsEnabled()) {
                jobs.jobRunner().close();
            }
            if (pool != null) {
                pool.close();
            }
            if (postgres != null) {
                postgres.close();
            }
            throw e;
        }
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public String adminToken() {
        return adminToken;
    }

    /** The JDBC URL with user and password, for psql and the CLI. */
    public String databaseUrl() {
        return databaseUrl;
    }

    public AybMatviews matviews() {
        return jobs.matviews();
    }

    /** The demo's schedules, and its job runner when jobs are enabled. */
    public AybJobs jobs() {
        return jobs;
    }

    /** The lines a person needs, each on its own line, {@code Ready} last. */
    public void printBanner(PrintStream out) {
        out.println("Database: " + databaseUrl);
        out.println("Admin API: http://localhost:" + port() + "/api/admin/matviews");
        out.println("Dashboard: http://localhost:" + port() + "/admin/");
        if (tokenGenerated) {
            out.println("Admin token: " + adminToken);
        }
        out.println("Ready");
        out.flush();
    }

    /** Stops the scheduler, then Jetty, then PostgreSQL. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (jobs.jobsEnabled()) {
            jobs.jobRunner().close();
        }
        // Event streams never finish by themselves: ended first, they do not hold up Jetty's graceful stop.
        servlet.closeEventStreams();
        try {
            jetty.stop();
        } catch (Exception e) {
            System.err.println("Stopping Jetty failed: " + e.getMessage());
        }
        pool.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    /**
     * With change tracking, so the walk-through can show its freshness, a refresh "only if changed" that is
     * skipped, and its source tables; and with a target lag, so that the job runner refreshes it by itself when a
     * workout is written, and never while nothing changes. Both are turned on for a registration an earlier start
     * left without them. Refreshed once if it never was, so that it starts current rather than refreshed by the
     * runner at some moment of the first seconds.
     */
    private static void registerLeaderboard(AybMatviews matviews) {
        Registration leaderboard = matviews.registry().findOrRegister(QualifiedName.parse("public.leaderboard"));
        ViewRef ref = ViewRef.of(leaderboard.id());
        if (!leaderboard.changeTracking()) {
            leaderboard = matviews.registry().updateChangeTracking(ref, true);
        }
        if (leaderboard.targetLagMs() == null) {
            leaderboard = matviews.registry().updateTargetLag(ref, LEADERBOARD_TARGET_LAG);
        }
        if (leaderboard.lastSuccessAt() == null) {
            matviews.refreshes().refresh(ref);
        }
    }

    private static void createScheduleOnce(AybJobs jobs) {
        if (jobs.schedules().find(SCHEDULE_NAME).isPresent()) {
            return;
        }
        try {
            jobs.schedules().create(ScheduleSpec.of(SCHEDULE_NAME, "materialized_view_refresh", "0 * * * *")
                    .withTimezone("UTC").withPayload(Map.of("schema", "public", "view_name", "leaderboard")));
        } catch (MatviewException e) {
            // Another demo instance on the same database created it first.
            if (e.code() != ErrorCode.SCHEDULE_NAME_TAKEN) {
                throw e;
            }
        }
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        }
        if (password != null && !password.isBlank()) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(10);
        config.setPoolName("ayb-demo");
        return new HikariDataSource(config);
    }

    private static Server jetty(int port, AybAdminServlet servlet) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        server.setStopTimeout(2000);
        server.start();
        return server;
    }

    private static String withCredentials(String url, String user, String password) {
        if (user == null || user.isBlank() || url.contains("user=")) {
            return url;
        }
        StringBuilder full = new StringBuilder(url).append(url.contains("?") ? '&' : '?')
                .append("user=").append(URLEncoder.encode(user, StandardCharsets.UTF_8));
        if (password != null && !password.isBlank()) {
            full.append("&password=").append(URLEncoder.encode(password, StandardCharsets.UTF_8));
        }
        return full.toString();
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
