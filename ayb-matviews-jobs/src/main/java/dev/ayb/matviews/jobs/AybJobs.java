package dev.ayb.matviews.jobs;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.TargetedViews;
import dev.ayb.matviews.jobs.internal.CancellableStatements;
import dev.ayb.matviews.jobs.internal.DatabaseClock;
import dev.ayb.matviews.jobs.internal.JdbcJobs;
import dev.ayb.matviews.jobs.internal.JdbcSchedules;
import dev.ayb.matviews.jobs.internal.MatviewRefreshJobHandler;
import dev.ayb.matviews.jobs.internal.NextWorkQuery;
import dev.ayb.matviews.jobs.internal.TargetLagJobHandler;
import dev.ayb.matviews.jobs.internal.Sql;
import dev.ayb.matviews.jobs.postgres.PostgresJobStore;
import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's entry point: schedules, the job queue and the job runner of an {@link AybMatviews}.
 *
 * <pre>{@code
 * AybJobs jobs = AybJobs.builder(matviews).jobsEnabled(true).build();
 * jobs.schedules().create(ScheduleSpec.of("nightly", "materialized_view_refresh", "0 3 * * *")
 *         .withPayload(Map.of("view_name", "leaderboard")));
 * try (JobRunner runner = jobs.jobRunner().start()) { ... }
 * }</pre>
 *
 * <p>It shares the {@code AybMatviews}'s data source, schema, registry and refresh settings: the built-in
 * {@code materialized_view_refresh} job refreshes views exactly as a manual refresh does, advisory lock
 * included. Its tables are created by the {@code AybMatviews}'s migrations. Building it starts no thread; only a
 * started {@link JobRunner} does, and closing that runner is the host's.
 */
public final class AybJobs {
    private final AybMatviews matviews;
    private final ScheduleAdmin schedules;
    private final JobOptions jobOptions;
    private final TargetLagOptions targetLagOptions;
    /** Null when the builder left jobs disabled: this instance then runs none. */
    private final @Nullable JobRunner jobRunner;
    /** {@link #pollOnce()}: a pass whose jobs run on the caller's thread. */
    private final PollPass callerThreadPass;
    private final JobEvents events;

    private AybJobs(Builder builder) {
        this.matviews = builder.matviews;
        // Refreshes run by jobs borrow through it, so that a runner shutting down can cancel one on the server.
        CancellableStatements jobStatements = new CancellableStatements();
        Map<String, JobHandler> handlers = new LinkedHashMap<>();
        var jobRefreshes = matviews.refreshes(jobStatements::track);
        handlers.put(MatviewRefreshJobHandler.JOB_TYPE, new MatviewRefreshJobHandler(matviews.registry(), jobRefreshes));
        builder.jobHandlers.forEach(handler -> handlers.put(handler.jobType(), handler));
        // The job types schedules may use. Target-lag jobs are the planner's alone: a schedule of them would refresh
        // on a timer what the planner refreshes on change, so the runner has their handler but schedules do not.
        Map<String, JobHandler> scheduleHandlers = Map.copyOf(handlers);
        handlers.put(TargetLagJobHandler.JOB_TYPE, new TargetLagJobHandler(matviews.registry(), jobRefreshes));
        Sql sql = new Sql(matviews.dataSource());
        LibrarySchema librarySchema = new LibrarySchema(matviews.schema());
        // Leases, ticks and the queue's timestamps follow the database's clock, not this instance's.
        Clock queueClock = builder.jobOptions.coordinationClock() != null ? builder.jobOptions.coordinationClock()
                : new DatabaseClock(matviews.dataSource());
        this.schedules = new ScheduleAdmin(new JdbcSchedules(sql, librarySchema), new JdbcJobs(sql, librarySchema),
                scheduleHandlers, queueClock);
        this.jobOptions = builder.jobOptions;
        JobStore store = new PostgresJobStore(matviews.dataSource(), matviews.schema());
        this.targetLagOptions = builder.targetLagOptions;
        JobListener listener = JobListener.allOf(builder.listeners);
        this.jobRunner = builder.jobsEnabled
                ? new JobRunner(store, handlers, queueClock, jobOptions, schedules, jobStatements, listener,
                planner(sql, librarySchema, handlers.keySet()))
                : null;
        this.callerThreadPass = callerThreadPass(store, Map.copyOf(handlers), queueClock, jobOptions, jobStatements,
                listener, planner(sql, librarySchema, handlers.keySet()));
        this.events = new JobEvents(schedules, matviews.eventPollInterval());
    }

    /** Each pass (the runner's, the caller's) has its own, so that their cadences do not mix. */
    private TargetLagPlanner planner(Sql sql, LibrarySchema librarySchema, Set<String> jobTypes) {
        if (!targetLagOptions.enabled()) {
            return TargetLagPlanner.NONE;
        }
        TargetedViews views = new TargetedViews(matviews.dataSource(), matviews.schema(), matviews.lockNamespace());
        return new TargetLagPlanner(views,
                new JdbcJobs(sql, librarySchema), new NextWorkQuery(librarySchema, jobTypes), targetLagOptions,
                jobOptions.idlePollInterval());
    }

    private static PollPass callerThreadPass(JobStore store, Map<String, JobHandler> handlers, Clock clock,
                                             JobOptions options, CancellableStatements statements,
                                             JobListener listener, TargetLagPlanner planner) {
        // The caller waits for the pass: an outcome the database does not take at once is left to the lease.
        JobExecution execution = new JobExecution(store, handlers, clock, options.workerId(), statements,
                new OutcomeRecorder(options.workerId(), () -> false), listener);
        return new PollPass(store, clock, handlers.keySet(),
                new CallerThreadClaiming(store, clock, options, handlers.keySet(), execution), planner);
    }

    /** Schedules and jobs of the {@code AybMatviews}'s database. */
    public static Builder builder(AybMatviews matviews) {
        return new Builder(matviews);
    }

    /** The instance this one was built from: the views, their registry and refreshes. */
    public AybMatviews matviews() {
        return matviews;
    }

    /**
     * Schedules and jobs as data. Available whether or not jobs run in this instance, so that tools can
     * manage the schedules of a deployment whose other instances run them.
     */
    public ScheduleAdmin schedules() {
        return schedules;
    }

    /**
     * Changes to jobs and schedules made by any instance, read every event poll interval of the
     * {@code AybMatviews} while a subscription is open; the admin event stream carries them.
     */
    public JobEvents events() {
        return events;
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

    /** How views with a target lag are kept within it, as given to {@link Builder#targetLag} (or the defaults). */
    public TargetLagOptions targetLagOptions() {
        return targetLagOptions;
    }

    /** The runner's settings, as given to {@link Builder#jobOptions} (or the defaults). */
    public JobOptions jobOptions() {
        return jobOptions;
    }

    /**
     * Runs one poll pass on the calling thread and returns what it did: enqueues the jobs of due schedule ticks and
     * the due refreshes of views with a target lag (see {@link TargetLagOptions}; they count as enqueued), returns
     * jobs whose lease expired to the queue, then claims due jobs of the types this instance has handlers
     * for, up to {@link JobOptions#concurrency()}, one at a time, and runs each through its handler before
     * claiming the next, recording its outcome (completed, retried after a backoff, failed) as the runner would.
     * No thread is started, whether or not {@link Builder#jobsEnabled} was set, and no lease is renewed: a
     * handler should finish within the lease.
     *
     * <p>For tests and tools that drive the queue step by step (with a coordination clock they move, see
     * {@link JobOptions#coordinationClock()}); an application runs jobs with a started {@link #jobRunner()}. An
     * outcome the database does not take at once is not retried here: the attempt is reported
     * {@link JobAttempt.Outcome#NOT_RECORDED} and the job is run again once its lease expires. Old finished jobs
     * are not pruned.
     *
     * @throws IllegalStateException while this instance's {@link JobRunner} is started: both would claim as the
     *                               same worker
     */
    public PollResult pollOnce() {
        if (jobRunner != null && jobRunner.isRunning()) {
            throw new IllegalStateException("job runner " + jobRunner.workerId()
                    + " is running; pollOnce() is for an instance whose runner is not started");
        }
        return callerThreadPass.run();
    }

    /** Options, each set at most once; all have defaults. */
    public static final class Builder {
        private final AybMatviews matviews;
        private boolean jobsEnabled;
        private JobOptions jobOptions = JobOptions.defaults();
        private TargetLagOptions targetLagOptions = TargetLagOptions.defaults();
        private final List<JobHandler> jobHandlers = new ArrayList<>();
        private final List<JobListener> listeners = new ArrayList<>();

        private Builder(AybMatviews matviews) {
            this.matviews = Objects.requireNonNull(matviews, "matviews");
        }

        /**
         * Whether this instance runs scheduled jobs (default false, as in the original: {@code jobs.enabled}).
         * Manual refreshes and {@link AybJobs#schedules()} work either way.
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
         * How the job runner keeps views with a target lag within it: the cap on concurrent target-lag refreshes
         * across the deployment and the least spacing between two refreshes of a view (see
         * {@link TargetLagOptions}). On by default: a view with a target is refreshed by whichever instance runs jobs.
         */
        public Builder targetLag(TargetLagOptions targetLagOptions) {
            this.targetLagOptions = Objects.requireNonNull(targetLagOptions, "targetLagOptions");
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

        /**
         * Adds a listener told of every job attempt this instance runs (for metrics, such as the job meters of
         * {@code ayb-matviews-micrometer}). Each call adds one; they are told in the order added.
         */
        public Builder listener(JobListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public AybJobs build() {
            refuseDuplicateJobHandlers();
            return new AybJobs(this);
        }

        /** A second handler for a type would silently take the first one's jobs: refused before anything runs. */
        private void refuseDuplicateJobHandlers() {
            Set<String> types = new HashSet<>(List.of(MatviewRefreshJobHandler.JOB_TYPE, TargetLagJobHandler.JOB_TYPE));
            for (JobHandler handler : jobHandlers) {
                if (!types.add(handler.jobType())) {
                    throw new IllegalArgumentException("job type " + handler.jobType() + " already has a handler"
                            + (handler.jobType().equals(MatviewRefreshJobHandler.JOB_TYPE)
                            || handler.jobType().equals(TargetLagJobHandler.JOB_TYPE) ? " (built in)" : "")
                            + "; each job type takes one");
                }
            }
        }
    }
}
