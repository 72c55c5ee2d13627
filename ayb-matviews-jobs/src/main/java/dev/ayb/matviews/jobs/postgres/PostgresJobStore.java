package dev.ayb.matviews.jobs.postgres;

import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.internal.JdbcJobs;
import dev.ayb.matviews.jobs.internal.JdbcSchedules;
import dev.ayb.matviews.jobs.internal.Sql;
import dev.ayb.matviews.jobs.spi.JobStore;
import dev.ayb.matviews.jobs.spi.NextWork;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The {@link JobStore} in the library's PostgreSQL tables ({@code jobs} and {@code job_schedules} in its schema,
 * created by the migrations {@code AybMatviews} applies). Claims use {@code FOR UPDATE SKIP LOCKED}; due ticks
 * are enqueued under row locks with a unique (schedule, tick) index, so any number of instances can share it.
 * Every call borrows one connection from the data source for its own duration and commits what it did, whether
 * the pool lends connections with autocommit on or off. Holds no resource of its own.
 */
public final class PostgresJobStore implements JobStore {
    private final JdbcJobs jobs;
    private final JdbcSchedules schedules;

    /**
     * @param dataSource the database holding the library's tables (already migrated)
     * @param schema     the schema of those tables, as given to {@code AybMatviews.Builder.schema} (default
     *                   {@code ayb}); validated as an identifier
     */
    public PostgresJobStore(DataSource dataSource, String schema) {
        Sql sql = new Sql(Objects.requireNonNull(dataSource, "dataSource"));
        LibrarySchema librarySchema = new LibrarySchema(Objects.requireNonNull(schema, "schema"));
        this.jobs = new JdbcJobs(sql, librarySchema);
        this.schedules = new JdbcSchedules(sql, librarySchema);
    }

    @Override
    public Job enqueue(String type, Map<String, @Nullable Object> payload, int maxAttempts, @Nullable UUID scheduleId,
                   Instant now) {
        return jobs.enqueue(type, payload, maxAttempts, scheduleId, now);
    }

    @Override
    public Optional<Job> find(UUID id) {
        return jobs.find(id);
    }

    @Override
    public int enqueueDueSchedules(Instant now, int batchSize) {
        return schedules.enqueueDue(now, batchSize);
    }

    @Override
    public List<Job> claim(String workerId, int limit, Instant now, Duration lease, Collection<String> types) {
        return jobs.claim(workerId, limit, now, lease, types);
    }

    @Override
    public void renewLeases(String workerId, Collection<UUID> jobIds, Instant leaseUntil) {
        jobs.renewLeases(workerId, jobIds, leaseUntil);
    }

    @Override
    public boolean complete(UUID id, String workerId, @Nullable String result, Instant now) {
        return jobs.complete(id, workerId, result, now);
    }

    @Override
    public boolean fail(UUID id, String workerId, String error, @Nullable Instant retryAt, Instant now) {
        return jobs.fail(id, workerId, error, retryAt, now);
    }

    @Override
    public boolean release(UUID id, String workerId, @Nullable String reason, Instant now) {
        return jobs.release(id, workerId, reason, now);
    }

    @Override
    public int recoverExpired(Instant now) {
        return jobs.recoverExpired(now);
    }

    @Override
    public NextWork nextWork(Collection<String> types) {
        return jobs.nextWork(types);
    }

    @Override
    public int pruneFinished(Instant olderThan) {
        return jobs.pruneFinished(olderThan);
    }
}
