package dev.ayb.matviews.jdbc;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.internal.AdvisoryRefreshLocks;
import dev.ayb.matviews.jdbc.internal.JdbcMatviewCatalog;
import dev.ayb.matviews.jdbc.internal.JdbcRegistrationStore;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.internal.SchemaMigrator;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.jobs.internal.CancellableStatements;
import dev.ayb.matviews.jobs.internal.DatabaseClock;
import dev.ayb.matviews.jobs.internal.JdbcJobs;
import dev.ayb.matviews.jobs.internal.JdbcSchedules;
import dev.ayb.matviews.jobs.internal.MatviewRefreshJobHandler;
import dev.ayb.matviews.jobs.internal.Sql;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The entry point: materialized-view management on a PostgreSQL {@link DataSource}.
 *
 * <pre>{@code
 * AybMatviews matviews = AybMatviews.builder().dataSource(dataSource).build();
 * matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT);
 * RefreshResult result = matviews.refreshes().refresh("public.leaderboard");
 * }</pre>
 *
 * <p>Building it applies the library's pending migrations (with {@code migrate(false)}: checks that its tables
 * exist) and nothing else: no thread is started, and every call borrows a connection for its own duration and
 * commits what it did, whether the pool lends connections with autocommit on or off. The instance is thread-safe and
 * holds no resource of its own, so there is nothing to close; the data source stays the host's.
 */
public final class AybMatviews {
    /** Schema of the library's own tables. */
    public static final String DEFAULT_SCHEMA = "ayb";
    /** First key of every advisory lock the library takes: the bytes of "ayb". */
    public static final int DEFAULT_LOCK_NAMESPACE = 0x00617962;
    /** Refresh runs kept per view; older ones are deleted as new ones are recorded. */
    public static final int DEFAULT_HISTORY_RETENTION = 100;

    private final MatviewRegistry registry;
    private final RefreshService refreshes;
    private final ScheduleAdmin schedules;
    private final JobRunner jobRunner;
    private final DataSource dataSource;
    private final String schema;
    private final Clock clock;

    private AybMatviews(Builder builder) {
        LibrarySchema librarySchema = new LibrarySchema(builder.schema);
        SchemaMigrator migrator = new SchemaMigrator(builder.dataSource, librarySchema, builder.lockNamespace);
        if (builder.migrate) {
            migrator.migrate();
        } else {
            migrator.requireTables();
        }
        JdbcRegistrationStore store = new JdbcRegistrationStore(builder.dataSource, librarySchema,
                builder.historyRetention);
        this.registry = new MatviewRegistry(store, new JdbcMatviewCatalog(builder.dataSource), builder.clock);
        // Refreshes run by jobs borrow through it, so that a runner shutting down can cancel one on the server.
        CancellableStatements jobStatements = new CancellableStatements();
        this.refreshes = new RefreshService(registry, store,
                new AdvisoryRefreshLocks(jobStatements.track(builder.dataSource), store, builder.lockNamespace,
                        builder.lockMode == AdvisoryLockMode.TRANSACTION),
                builder.clock, builder.defaultTimeouts, builder.listener);
        Map<String, JobHandler> handlers = new LinkedHashMap<>();
        handlers.put(MatviewRefreshJobHandler.JOB_TYPE, new MatviewRefreshJobHandler(registry, refreshes));
        builder.jobHandlers.forEach(handler -> handlers.put(handler.jobType(), handler));
        Sql sql = new Sql(builder.dataSource);
        JdbcSchedules scheduleTable = new JdbcSchedules(sql, librarySchema);
        JdbcJobs jobTable = new JdbcJobs(sql, librarySchema);
        // Leases, ticks and the queue's timestamps follow the database's clock, not this instance's.
        Clock queueClock = builder.jobOptions.coordinationClock() != null ? builder.jobOptions.coordinationClock()
                : new DatabaseClock(builder.dataSource);
        this.schedules = new ScheduleAdmin(scheduleTable, jobTable, handlers, queueClock);
        this.jobRunner = builder.jobsEnabled ? new JobRunner(scheduleTable, jobTable, handlers, queueClock,
                builder.jobOptions, schedules, jobStatements) : null;
        this.dataSource = builder.dataSource;
        this.schema = builder.schema;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Register, look up, list, update and unregister views; read history; discover views. */
    public MatviewRegistry registry() {
        return registry;
    }

    /** Refresh registered views. */
    public RefreshService refreshes() {
        return refreshes;
    }

    /**
     * Schedules and jobs as data. Available whether or not jobs run in this instance, so that tools can
     * manage the schedules of a deployment whose other instances run them.
     */
    public ScheduleAdmin schedules() {
        return schedules;
    }

    /** Whether this instance was built to run jobs ({@link Builder#jobsEnabled}). */
    public boolean jobsEnabled() {
        return jobRunner != null;
    }

    /**
     * The runner that fires schedules and runs jobs on this instance; not started until you call
     * {@link JobRunner#start()}, and to be closed by you.
     *
     * @throws MatviewException {@link ErrorCode#JOB_QUEUE_DISABLED} unless {@link Builder#jobsEnabled} was set
     */
    public JobRunner jobRunner() {
        if (jobRunner == null) {
            throw new MatviewException(ErrorCode.JOB_QUEUE_DISABLED);
        }
        return jobRunner;
    }

    /** The data source given to the builder (later components, such as the scheduler, share it). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The schema holding the library's tables. */
    public String schema() {
        return schema;
    }

    public Clock clock() {
        return clock;
    }

    /** Options, each set at most once; {@link #dataSource} is the only one required. */
    public static final class Builder {
        private DataSource dataSource;
        private String schema = DEFAULT_SCHEMA;
        private Clock clock = Clock.systemUTC();
        private AdvisoryLockMode lockMode = AdvisoryLockMode.SESSION;
        private int lockNamespace = DEFAULT_LOCK_NAMESPACE;
        private RefreshTimeouts defaultTimeouts = RefreshTimeouts.NONE;
        private int historyRetention = DEFAULT_HISTORY_RETENTION;
        private RefreshListener listener = RefreshListener.NONE;
        private boolean migrate = true;
        private boolean jobsEnabled;
        private JobOptions jobOptions = JobOptions.defaults();
        private final java.util.List<JobHandler> jobHandlers = new java.util.ArrayList<>();

        private Builder() {
        }

        /** The PostgreSQL database holding the views; any pool or plain data source. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** Schema for the library's own tables (default {@value #DEFAULT_SCHEMA}); created if missing. */
        public Builder schema(String schema) {
            this.schema = IdentifierValidator.validate(schema);
            return this;
        }

        /**
         * Source of the timestamps the library records about registrations and refreshes (default: the system
         * clock in UTC). The job queue does not use it: leases, due ticks and job times follow the database's
         * clock (see {@link JobOptions#coordinationClock()}), so that instances whose clocks drift still agree.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder lockMode(AdvisoryLockMode lockMode) {
            this.lockMode = Objects.requireNonNull(lockMode, "lockMode");
            return this;
        }

        /**
         * First key of the library's advisory locks (default {@link #DEFAULT_LOCK_NAMESPACE}). Change it
         * only if the host application already uses that key; every instance must use the same value.
         */
        public Builder lockNamespace(int lockNamespace) {
            this.lockNamespace = lockNamespace;
            return this;
        }

        /** {@code lock_timeout} for refreshes of views that set none of their own (default: none). */
        public Builder defaultLockTimeout(Duration lockTimeout) {
            this.defaultTimeouts = new RefreshTimeouts(lockTimeout, defaultTimeouts.statementTimeout());
            return this;
        }

        /** {@code statement_timeout} for refreshes of views that set none of their own (default: none). */
        public Builder defaultStatementTimeout(Duration statementTimeout) {
            this.defaultTimeouts = new RefreshTimeouts(defaultTimeouts.lockTimeout(), statementTimeout);
            return this;
        }

        /** Refresh runs kept per view (default {@value #DEFAULT_HISTORY_RETENTION}, at least 1). */
        public Builder historyRetention(int runsPerView) {
            if (runsPerView < 1) {
                throw new IllegalArgumentException("historyRetention must be at least 1");
            }
            this.historyRetention = runsPerView;
            return this;
        }

        public Builder listener(RefreshListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Whether {@link #build()} applies the library's migrations (default true). Turn it off when
         * Flyway or Liquibase runs the SQL files from {@code db/ayb-matviews/} instead; {@link #build()} then
         * only checks that the library's tables exist, and fails naming the missing ones.
         *
         * <p>When on, {@link #build()} first reads {@code schema_history} and changes nothing (takes no lock,
         * runs no DDL) if the database is up to date, so a role without {@code CREATE} privileges can use it;
         * it fails with {@code database schema is newer than this library: V<n> > V<m>} when the database was
         * migrated by a newer version of the library.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Whether this instance runs scheduled jobs (default false, as in the original: {@code jobs.enabled}).
         * Manual refreshes work either way.
         */
        public Builder jobsEnabled(boolean jobsEnabled) {
            this.jobsEnabled = jobsEnabled;
            return this;
        }

        /** Worker id, concurrency, lease, polling and shutdown settings of the job runner. */
        public Builder jobOptions(JobOptions jobOptions) {
            this.jobOptions = Objects.requireNonNull(jobOptions, "jobOptions");
            return this;
        }

        /**
         * Adds a handler for a job type of the host's own; schedules may then use that type. One handler per
         * type: {@link #build()} refuses a second one for a type, the built-in
         * {@code materialized_view_refresh} included.
         */
        public Builder jobHandler(JobHandler handler) {
            Objects.requireNonNull(handler, "handler");
            if (handler.jobType() == null || handler.jobType().isBlank()) {
                throw new IllegalArgumentException("a job handler needs a job type");
            }
            jobHandlers.add(handler);
            return this;
        }

        public AybMatviews build() {
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required");
            }
            refuseDuplicateJobHandlers();
            return new AybMatviews(this);
        }

        /** A second handler for a type would silently take the first one's jobs: refused before anything runs. */
        private void refuseDuplicateJobHandlers() {
            java.util.Set<String> types = new java.util.HashSet<>(java.util.List.of(MatviewRefreshJobHandler.JOB_TYPE));
            for (JobHandler handler : jobHandlers) {
                if (!types.add(handler.jobType())) {
                    throw new IllegalArgumentException("job type " + handler.jobType() + " already has a handler"
                            + (handler.jobType().equals(MatviewRefreshJobHandler.JOB_TYPE) ? " (built in)" : "")
                            + "; each job type takes one");
                }
            }
        }
    }
}
