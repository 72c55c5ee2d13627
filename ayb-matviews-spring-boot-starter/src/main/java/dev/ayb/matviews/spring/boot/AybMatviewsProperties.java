package dev.ayb.matviews.spring.boot;

import dev.ayb.matviews.MatviewHealth;
import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.micrometer.ViewMetrics;
import dev.ayb.matviews.servlet.AybAdminServlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code ayb.matviews.*} properties: the options of {@code AybMatviews.builder()}, of the scheduler, of the
 * admin servlet and of the meters, with the library's defaults.
 */
@ConfigurationProperties(prefix = AybMatviewsProperties.PREFIX)
public class AybMatviewsProperties {
    public static final String PREFIX = "ayb.matviews";

    /** Schema of the library's own tables; created if missing. */
    private String schema = AybMatviews.DEFAULT_SCHEMA;

    /**
     * How the advisory lock of a refresh is held: SESSION (a dedicated connection, no transaction open during the
     * refresh) or TRANSACTION (refresh and record in one transaction; use it behind PgBouncer in transaction
     * pooling).
     */
    private AdvisoryLockMode lockMode = AdvisoryLockMode.SESSION;

    /** lock_timeout for refreshes of views that set none of their own; none when unset. */
    private @Nullable Duration defaultLockTimeout;

    /** statement_timeout for refreshes of views that set none of their own; none when unset. */
    private @Nullable Duration defaultStatementTimeout;

    /** Refresh runs kept per view. */
    private int historyRetention = AybMatviews.DEFAULT_HISTORY_RETENTION;

    /**
     * Whether the library applies its own migrations at startup. Turn it off when Flyway or Liquibase runs the SQL
     * files from db/ayb-matviews/ instead; startup then only checks that the tables exist.
     */
    private boolean migrate = true;

    /** How long a tracked view may be behind its sources before the health check reports it. */
    private Duration healthBehindThreshold = MatviewHealth.DEFAULT_BEHIND_THRESHOLD;

    /**
     * How the writes of the tables a view reads are captured when tracking is turned on: {@code triggers}, or
     * {@code wal} (read from the write-ahead log; needs wal_level=logical and a role with REPLICATION).
     */
    private ChangeCapture changeCapture = ChangeCapture.TRIGGERS;

    private final Jobs jobs = new Jobs();
    private final Admin admin = new Admin();
    private final Collections collections = new Collections();
    private final Replica replica = new Replica();
    private final Metrics metrics = new Metrics();

    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    public AdvisoryLockMode getLockMode() {
        return lockMode;
    }

    public void setLockMode(AdvisoryLockMode lockMode) {
        this.lockMode = lockMode;
    }

    public @Nullable Duration getDefaultLockTimeout() {
        return defaultLockTimeout;
    }

    public void setDefaultLockTimeout(@Nullable Duration defaultLockTimeout) {
        this.defaultLockTimeout = defaultLockTimeout;
    }

    public @Nullable Duration getDefaultStatementTimeout() {
        return defaultStatementTimeout;
    }

    public void setDefaultStatementTimeout(@Nullable Duration defaultStatementTimeout) {
        this.defaultStatementTimeout = defaultStatementTimeout;
    }

    public int getHistoryRetention() {
        return historyRetention;
    }

    public void setHistoryRetention(int historyRetention) {
        this.historyRetention = historyRetention;
    }

    public boolean isMigrate() {
        return migrate;
    }

    public void setMigrate(boolean migrate) {
        this.migrate = migrate;
    }

    public Duration getHealthBehindThreshold() {
        return healthBehindThreshold;
    }

    public void setHealthBehindThreshold(Duration healthBehindThreshold) {
        this.healthBehindThreshold = healthBehindThreshold;
    }

    public ChangeCapture getChangeCapture() {
        return changeCapture;
    }

    public void setChangeCapture(ChangeCapture changeCapture) {
        this.changeCapture = changeCapture;
    }

    public Jobs getJobs() {
        return jobs;
    }

    public Admin getAdmin() {
        return admin;
    }

    public Collections getCollections() {
        return collections;
    }

    public Replica getReplica() {
        return replica;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** The scheduler: whether this instance runs scheduled jobs, and how. */
    public static class Jobs {
        /** Whether this instance runs scheduled jobs (every instance sharing the database may). */
        private boolean enabled;

        /** Names this instance in the jobs it runs; process name and a random suffix when unset. */
        private @Nullable String workerId;

        /** Jobs this instance runs at once. */
        private int concurrency = JobOptions.DEFAULT_CONCURRENCY;

        /** How long a claimed job stays this instance's without renewal. */
        private Duration leaseDuration = JobOptions.DEFAULT_LEASE;

        /** The longest an idle instance waits before looking for work again. */
        private Duration idlePollInterval = JobOptions.DEFAULT_IDLE_POLL;

        /** How long shutting down lets running jobs finish before handing them back to the queue. */
        private Duration shutdownGrace = JobOptions.DEFAULT_SHUTDOWN_GRACE;

        /** How long completed, failed and canceled jobs are kept. */
        private Duration finishedJobRetention = JobOptions.DEFAULT_RETENTION;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable String getWorkerId() {
            return workerId;
        }

        public void setWorkerId(@Nullable String workerId) {
            this.workerId = workerId;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public Duration getLeaseDuration() {
            return leaseDuration;
        }

        public void setLeaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
        }

        public Duration getIdlePollInterval() {
            return idlePollInterval;
        }

        public void setIdlePollInterval(Duration idlePollInterval) {
            this.idlePollInterval = idlePollInterval;
        }

        public Duration getShutdownGrace() {
            return shutdownGrace;
        }

        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }

        public Duration getFinishedJobRetention() {
            return finishedJobRetention;
        }

        public void setFinishedJobRetention(Duration finishedJobRetention) {
            this.finishedJobRetention = finishedJobRetention;
        }

        /** These settings as the scheduler takes them. */
        public JobOptions toJobOptions() {
            JobOptions options = JobOptions.defaults();
            if (workerId != null) {
                options = options.withWorkerId(workerId);
            }
            return options.withConcurrency(concurrency).withLeaseDuration(leaseDuration)
                    .withIdlePollInterval(idlePollInterval).withShutdownGrace(shutdownGrace)
                    .withFinishedJobRetention(finishedJobRetention);
        }
    }

    /** The admin HTTP API and dashboard servlet. */
    public static class Admin {
        /**
         * Bearer token of the admin API. The servlet is registered only when it is set or the application has an
         * AdminAuthenticator bean.
         */
        private @Nullable String token;

        /**
         * Where the servlet is mapped. Empty (the default): at the library's own paths, /api/admin/*,
         * /api/collections/* and /admin/*, beside the application's. A prefix such as /ops: under it, e.g.
         * /ops/api/admin/matviews.
         */
        private String path = "";

        public @Nullable String getToken() {
            return token;
        }

        public void setToken(@Nullable String token) {
            this.token = token;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }
    }

    /** Who may read views through /api/collections; the admin token always may. */
    public static class Collections {
        /** Views anyone may read without the token, as schema.view (or view, for one in public). */
        private List<String> publicViews = new ArrayList<>();

        /** Whether anyone may read every materialized view without the token. */
        private boolean openToAll;

        /** The longest one query of a collection read may run. */
        private Duration statementTimeout = AybAdminServlet.DEFAULT_COLLECTION_STATEMENT_TIMEOUT;

        /**
         * How much memory pages kept between reads of unchanged data may hold, as rows and again as written
         * answers; 0 keeps none.
         */
        private DataSize pageCacheSize = DataSize.ofBytes(AybCollections.DEFAULT_PAGE_CACHE_BYTES);

        public List<String> getPublicViews() {
            return publicViews;
        }

        public void setPublicViews(List<String> publicViews) {
            this.publicViews = publicViews;
        }

        public boolean isOpenToAll() {
            return openToAll;
        }

        public void setOpenToAll(boolean openToAll) {
            this.openToAll = openToAll;
        }

        public Duration getStatementTimeout() {
            return statementTimeout;
        }

        public void setStatementTimeout(Duration statementTimeout) {
            this.statementTimeout = statementTimeout;
        }

        public DataSize getPageCacheSize() {
            return pageCacheSize;
        }

        public void setPageCacheSize(DataSize pageCacheSize) {
            this.pageCacheSize = pageCacheSize;
        }
    }

    /**
     * A hot standby that /api/collections reads are served from (HikariCP pools it); refreshes, registrations,
     * history, schedules and jobs stay on the application's DataSource.
     */
    public static class Replica {
        /** The replica's JDBC URL; unset (the default): collections are read from the application's DataSource. */
        private @Nullable String url;

        /** The user reads connect to the replica as. */
        private @Nullable String username;

        /** That user's password. */
        private @Nullable String password;

        /** Reads from a replica further behind its primary than this fall back (see fallback). */
        private Duration maxLag = ReadReplica.DEFAULT_MAX_LAG;

        /** What a read does when the replica is down or too far behind: primary (read there) or unavailable (503). */
        private ReadReplica.Fallback fallback = ReadReplica.Fallback.PRIMARY;

        /** The Retry-After of a 503 when fallback is unavailable. */
        private Duration retryAfter = ReadReplica.DEFAULT_RETRY_AFTER;

        /** Connections to the replica at most. */
        private int maxPoolSize = 10;

        /** How long a read waits for a replica connection before it counts the replica as down. */
        private Duration connectionTimeout = Duration.ofSeconds(2);

        public @Nullable String getUrl() {
            return url;
        }

        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        public @Nullable String getUsername() {
            return username;
        }

        public void setUsername(@Nullable String username) {
            this.username = username;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }

        public Duration getMaxLag() {
            return maxLag;
        }

        public void setMaxLag(Duration maxLag) {
            this.maxLag = maxLag;
        }

        public ReadReplica.Fallback getFallback() {
            return fallback;
        }

        public void setFallback(ReadReplica.Fallback fallback) {
            this.fallback = fallback;
        }

        public Duration getRetryAfter() {
            return retryAfter;
        }

        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }

        public int getMaxPoolSize() {
            return maxPoolSize;
        }

        public void setMaxPoolSize(int maxPoolSize) {
            this.maxPoolSize = maxPoolSize;
        }

        public Duration getConnectionTimeout() {
            return connectionTimeout;
        }

        public void setConnectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = connectionTimeout;
        }
    }

    /** The Micrometer meters. */
    public static class Metrics {
        /** How long one reading of the views and of the job queue serves the gauges. */
        private Duration cacheFor = ViewMetrics.DEFAULT_CACHE;

        public Duration getCacheFor() {
            return cacheFor;
        }

        public void setCacheFor(Duration cacheFor) {
            this.cacheFor = cacheFor;
        }
    }
}
