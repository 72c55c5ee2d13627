package dev.ayb.matviews.jobs;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jobs.internal.CancellableStatements;
import dev.ayb.matviews.jobs.internal.DatabaseClock;
import dev.ayb.matviews.jobs.internal.JdbcJobs;
import dev.ayb.matviews.jobs.internal.JdbcSchedules;
import dev.ayb.matviews.jobs.internal.MatviewRefreshJobHandler;
import dev.ayb.matviews.jobs.internal.Sql;
import dev.ayb.matviews.jobs.postgres.PostgresJobStore;
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
    /** Null when the builder left jobs disabled: this instance then runs none. */
    private final @Nullable JobRunner jobRunner;

    private AybJobs(Builder builder) {
        this.matviews = builder.matviews;
        // Refreshes run by jobs borrow through it, so that a runner shutting down can cancel one on the server.
        CancellableStatements jobStatements = new CancellableStatements();
        Map<String, JobHandler> handlers = new LinkedHashMap<>();
        handlers.put(MatviewRefreshJobHandler.JOB_TYPE,
                new MatviewRefreshJobHandler(matviews.registry(), matviews.refreshes(jobStatements::track)));
        builder.jobHandlers.forEach(handler -> handlers.put(handler.jobType(), handler));
        Sql sql = new Sql(matviews.dataSource());
        LibrarySchema librarySchema = new LibrarySchema(matviews.schema());
        // Leases, ticks and the queue's timestamps follow the database's clock, not this instance's.
        Clock queueClock = builder.jobOptions.coordinationClock() != null ? builder.jobOptions.coordinationClock()
                : new DatabaseClock(matviews.dataSource());
        this.schedules = new ScheduleAdmin(new JdbcSchedules(sql, librarySchema), new JdbcJobs(sql, librarySchema),
                handlers, queueClock);
        this.jobRunner = builder.jobsEnabled
                ? new JobRunner(new PostgresJobStore(matviews.dataSource(), matviews.schema()), handlers, queueClock,
                        builder.jobOptions, schedules, jobStatements)
                : null;
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

    /** Options, each set at most once; all have defaults. */
    public static final class Builder {
        private final AybMatviews matviews;
        private boolean jobsEnabled;
        private JobOptions jobOptions = JobOptions.defaults();
        private final List<JobHandler> jobHandlers = new ArrayList<>();

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

        public AybJobs build() {
            refuseDuplicateJobHandlers();
            return new AybJobs(this);
        }

        /** A second handler for a type would silently take the first one's jobs: refused before anything runs. */
        private void refuseDuplicateJobHandlers() {
            Set<String> types = new HashSet<>(List.of(MatviewRefreshJobHandler.JOB_TYPE));
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
