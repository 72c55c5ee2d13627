package dev.ayb.matviews.jobs.spi;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where the job queue lives: the storage operations the {@link dev.ayb.matviews.jobs.JobRunner} needs, and
 * nothing of how it stores them. The PostgreSQL implementation is
 * {@link dev.ayb.matviews.jobs.postgres.PostgresJobStore}.
 *
 * <p>A job moves between {@link JobState states} as follows; every write below names the moves it may make
 * and makes no other:
 * <pre>
 *   queued --claim--> running --complete--> completed
 *                     running --fail------> queued (retry at a time) | failed (for good)
 *                     running --release---> queued (attempt not counted)
 *                     running --recoverExpired (lease ran out)--> queued | failed (out of attempts)
 * </pre>
 * A running job belongs to the worker that claimed it ({@link Job#workerId()}) until its lease
 * ({@link Job#leaseUntil()}) passes. The writes a worker makes about its job ({@link #complete}, {@link #fail},
 * {@link #release}, {@link #renewLeases}) take effect only while the job is running and still that worker's:
 * once it has been recovered (and perhaps claimed by another worker), canceled, or has otherwise left
 * {@code running}, they change nothing and say so, so that a worker cut off for longer than its lease can never
 * overwrite the outcome of the run that replaced its own.
 *
 * <p>Every instant passed in is the coordination clock's "now" (the database's time by default), the same for
 * every instance; an implementation records it as given and never reads a clock of its own for these
 * operations. Implementations are thread-safe and safe for any number of instances sharing one store: a job is
 * claimed by one worker at a time and a schedule tick enqueued once. Each method is atomic. Failures of the
 * store are thrown as {@link dev.ayb.matviews.MatviewException} ({@code DATABASE_ERROR} for PostgreSQL, whose
 * {@code sqlState()} tells the runner when the store is merely unreachable and the write worth retrying).
 */
public interface JobStore {
    /**
     * Adds a queued job due at {@code now}, with no attempt made yet.
     *
     * @param scheduleId the schedule it is a run of, or null for a job of none
     * @return the job as stored
     */
    Job enqueue(String type, Map<String, @Nullable Object> payload, int maxAttempts, @Nullable UUID scheduleId,
            Instant now);

    /** The job with that id, in whatever state it is; empty when there is none (never was, or pruned). */
    Optional<Job> find(UUID id);

    /**
     * For every due tick of an enabled schedule ({@code next_run_at <= now}), up to {@code batchSize} schedules:
     * enqueues one queued job of the schedule's type, payload and attempts, due at the tick, and moves the schedule
     * to its next tick (a schedule far behind skips to the first tick after now instead of enqueuing each missed
     * one; a schedule whose cron expression can no longer be read gets no next tick). All of one call's work is
     * one transaction. A tick is enqueued at most once however many instances call this at the same moment.
     *
     * @return how many jobs were enqueued; the runner calls again while this is above zero
     */
    int enqueueDueSchedules(Instant now, int batchSize);

    /**
     * Moves up to {@code limit} queued jobs of the given types whose {@code run_at <= now} to {@code running},
     * earliest {@code run_at} first: each gets this {@code workerId}, a lease until {@code now + lease}, one more
     * attempt and {@code last_run_at = now}. Jobs of other types are left for instances that have handlers for
     * them. Instances claiming at the same moment get different jobs and do not wait on each other.
     *
     * @return the claimed jobs as they now are (state running); empty when none was due
     */
    List<Job> claim(String workerId, int limit, Instant now, Duration lease, Collection<String> types);

    /**
     * Extends to {@code leaseUntil} the leases of those of {@code jobIds} that are running and still this
     * worker's; the others (recovered, canceled, unknown) are left untouched. Nothing is done for an empty
     * collection.
     */
    void renewLeases(String workerId, Collection<UUID> jobIds, Instant leaseUntil);

    /**
     * {@code running} to {@code completed}, recording {@code result} (may be null), clearing the lease and the
     * last error, with {@code completed_at = now}.
     *
     * @return false, changing nothing, when the job is not running or no longer this worker's
     */
    boolean complete(UUID id, String workerId, @Nullable String result, Instant now);

    /**
     * A failed attempt. With a {@code retryAt}: {@code running} to {@code queued}, due at {@code retryAt}, no
     * longer any worker's. Without one (null): {@code running} to {@code failed} for good, still naming the worker.
     * Either way the lease is cleared, {@code error} kept as the last error and the attempt stays counted.
     *
     * @return false, changing nothing, when the job is not running or no longer this worker's
     */
    boolean fail(UUID id, String workerId, String error, @Nullable Instant retryAt, Instant now);

    /**
     * Hands a job this worker will not finish (it is shutting down, or could not start it) back to the queue:
     * {@code running} to {@code queued}, due at {@code now}, no longer any worker's, its lease cleared and the
     * attempt its claim counted taken back.
     *
     * @param reason kept as the job's last error when not null (what stopping it answered); otherwise the last
     *               error is left as it was
     * @return false, changing nothing, when the job is not running or no longer this worker's
     */
    boolean release(UUID id, String workerId, @Nullable String reason, Instant now);

    /**
     * Jobs whose worker stopped renewing its lease ({@code running} with a lease before {@code now}, whoever's
     * they are): back to {@code queued} due at {@code now}, or to {@code failed} when they have used all their
     * attempts; no longer any worker's, with a last error naming the worker that let the lease run out.
     *
     * @return how many jobs were recovered
     */
    int recoverExpired(Instant now);

    /**
     * When there will next be work for a worker with handlers for {@code types}: see {@link NextWork}. The only
     * question an idle runner asks, so it must be cheap.
     */
    NextWork nextWork(Collection<String> types);

    /**
     * Deletes finished jobs ({@code completed}, {@code failed}, {@code canceled}) last changed before
     * {@code olderThan}; queued and running jobs are never deleted.
     *
     * @return how many were deleted
     */
    int pruneFinished(Instant olderThan);
}
