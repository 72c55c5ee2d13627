package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.jdbc.support.Connections;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.PgErrors;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.spi.NextWork;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The jobs table: enqueue, claim, lease, finish, recover, prune, and the admin reads (see {@code JobStore}). */
public final class JdbcJobs {
    private final Sql sql;
    private final LibrarySchema schema;

    public JdbcJobs(Sql sql, LibrarySchema schema) {
        this.sql = sql;
        this.schema = schema;
    }

    public Job enqueue(String type, Map<String, Object> payload, int maxAttempts, UUID scheduleId, Instant now) {
        return sql.query("enqueueing a job", "INSERT INTO " + schema.jobs() + " (id, type, payload, state, run_at,"
                + " attempts, max_attempts, schedule_id, created_at, updated_at)"
                + " VALUES (?, ?, ?::jsonb, 'queued', ?, 0, ?, ?, ?, ?) RETURNING " + JobRows.JOB_COLUMNS, st -> {
                    st.setObject(1, UUID.randomUUID());
                    st.setString(2, type);
                    st.setString(3, Payloads.toJson(payload));
                    JobRows.setInstant(st, 4, now);
                    st.setInt(5, maxAttempts);
                    st.setObject(6, scheduleId);
                    JobRows.setInstant(st, 7, now);
                    JobRows.setInstant(st, 8, now);
                }, JobRows::job).get(0);
    }

    /**
     * Adds a queued job due at {@code now} that works on the registrations {@code viewIds} (listed in its payload's
     * {@code ids}), under the first of {@code dedupeKeys} no queued or running job holds, unless a queued or running
     * job with one of those keys already works on one of those views. One transaction: the registrations' rows are
     * locked first (in id order), so two instances enqueueing for the same view at the same moment take turns, and
     * the second sees the first's job; the keys' unique index caps how many such jobs exist at once.
     *
     * @return the job as stored; empty when every key was taken or a view already had its job
     */
    public Optional<Job> enqueueForViews(String type, Map<String, Object> payload, int maxAttempts,
                                         List<UUID> viewIds, List<String> dedupeKeys, Instant now) {
        String lock = "SELECT id FROM " + schema.registrations() + " WHERE id = ANY (?) ORDER BY id FOR UPDATE";
        String taken = "SELECT EXISTS (SELECT 1 FROM " + schema.jobs() + " j"
                + " CROSS JOIN LATERAL pg_catalog.jsonb_array_elements_text(j.payload -> 'ids') AS v(id)"
                + " WHERE j.state IN ('queued', 'running') AND j.dedupe_key = ANY (?) AND v.id = ANY (?))";
        String insert = "INSERT INTO " + schema.jobs() + " (id, type, payload, state,"
                + " run_at, attempts, max_attempts, dedupe_key, created_at, updated_at)"
                + " VALUES (?, ?, ?::jsonb, 'queued', ?, 0, ?, ?, ?, ?)"
                + " ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN ('queued', 'running')"
                + " DO NOTHING RETURNING " + JobRows.JOB_COLUMNS;
        try {
            return Connections.inTransaction(sql.dataSource(), connection -> {
                Array ids = connection.createArrayOf("uuid", viewIds.toArray());
                Sql.query(connection, lock, st -> st.setArray(1, ids), row -> row.getObject(1));
                boolean alreadyQueued = Sql.query(connection, taken, st -> {
                    st.setArray(1, connection.createArrayOf("text", dedupeKeys.toArray()));
                    st.setArray(2, connection.createArrayOf("text",
                            viewIds.stream().map(UUID::toString).toArray()));
                }, row -> row.getBoolean(1)).get(0);
                if (alreadyQueued) {
                    return Optional.<Job>empty();
                }
                for (String key : dedupeKeys) {
                    List<Job> added = Sql.query(connection, insert, st -> {
                        st.setObject(1, UUID.randomUUID());
                        st.setString(2, type);
                        st.setString(3, Payloads.toJson(payload));
                        JobRows.setInstant(st, 4, now);
                        st.setInt(5, maxAttempts);
                        st.setString(6, key);
                        JobRows.setInstant(st, 7, now);
                        JobRows.setInstant(st, 8, now);
                    }, JobRows::job);
                    if (!added.isEmpty()) {
                        return Optional.of(added.get(0));
                    }
                }
                return Optional.<Job>empty();
            });
        } catch (SQLException e) {
            throw PgErrors.database("enqueueing a job", e);
        }
    }

    /**
     * Takes up to {@code limit} due jobs of the given types for this worker. Only the types this instance has
     * handlers for: a job of another type waits for an instance that can run it (a rolling deploy, a handler
     * present on some instances only) instead of failing here. SKIP LOCKED: instances claiming at the same
     * moment get different jobs and never wait on each other.
     */
    public List<Job> claim(String workerId, int limit, Instant now, Duration lease, Collection<String> types) {
        return sql.query("claiming jobs", "UPDATE " + schema.jobs() + " j SET state = 'running',"
                + " attempts = j.attempts + 1, lease_until = ?, worker_id = ?, last_run_at = ?, updated_at = ?"
                + " FROM (SELECT id FROM " + schema.jobs() + " WHERE state = 'queued' AND run_at <= ?"
                + " AND type = ANY (?) ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED) due"
                + " WHERE j.id = due.id RETURNING j.*", st -> {
                    JobRows.setInstant(st, 1, now.plus(lease));
                    st.setString(2, workerId);
                    JobRows.setInstant(st, 3, now);
                    JobRows.setInstant(st, 4, now);
                    JobRows.setInstant(st, 5, now);
                    st.setArray(6, st.getConnection().createArrayOf("text", types.toArray()));
                    st.setInt(7, limit);
                }, JobRows::job);
    }

    /** Extends the leases of this worker's running jobs; one statement whatever their number. */
    public void renewLeases(String workerId, Collection<UUID> jobIds, Instant leaseUntil) {
        if (jobIds.isEmpty()) {
            return;
        }
        sql.update("renewing job leases", "UPDATE " + schema.jobs() + " SET lease_until = ?"
                + " WHERE id = ANY (?) AND worker_id = ? AND state = 'running'", st -> {
                    JobRows.setInstant(st, 1, leaseUntil);
                    Array ids = st.getConnection().createArrayOf("uuid", jobIds.toArray());
                    st.setArray(2, ids);
                    st.setString(3, workerId);
                });
    }

    /** False when the job is no longer this worker's (canceled, or recovered after a lost lease). */
    public boolean complete(UUID id, String workerId, String result, Instant now) {
        return sql.update("completing a job", "UPDATE " + schema.jobs() + " SET state = 'completed', result = ?,"
                + " last_error = NULL, lease_until = NULL, completed_at = ?, updated_at = ?"
                + " WHERE id = ? AND worker_id = ? AND state = 'running'", st -> {
                    st.setString(1, result);
                    JobRows.setInstant(st, 2, now);
                    JobRows.setInstant(st, 3, now);
                    st.setObject(4, id);
                    st.setString(5, workerId);
                }) > 0;
    }

    /** Queues the job again at {@code retryAt}, or marks it failed when {@code retryAt} is null. */
    public boolean fail(UUID id, String workerId, String error, Instant retryAt, Instant now) {
        return sql.update("recording a job failure", "UPDATE " + schema.jobs() + " SET state = ?, last_error = ?,"
                + " run_at = coalesce(?, run_at), lease_until = NULL, worker_id = CASE WHEN ? THEN NULL ELSE worker_id END,"
                + " updated_at = ? WHERE id = ? AND worker_id = ? AND state = 'running'", st -> {
                    st.setString(1, retryAt == null ? JobState.FAILED.wireName() : JobState.QUEUED.wireName());
                    st.setString(2, error);
                    JobRows.setInstant(st, 3, retryAt);
                    st.setBoolean(4, retryAt != null);
                    JobRows.setInstant(st, 5, now);
                    st.setObject(6, id);
                    st.setString(7, workerId);
                }) > 0;
    }

    /**
     * A job this worker stops without finishing (shutdown, or a submit its executor refused): back to the queue,
     * the attempt not counted.
     *
     * @param reason kept as the job's last error when not null, e.g. what a canceled refresh answered
     */
    public boolean release(UUID id, String workerId, String reason, Instant now) {
        return sql.update("releasing a job", "UPDATE " + schema.jobs() + " SET state = 'queued', attempts = greatest(attempts - 1, 0),"
                + " lease_until = NULL, worker_id = NULL, run_at = ?, last_error = coalesce(?, last_error), updated_at = ?"
                + " WHERE id = ? AND worker_id = ? AND state = 'running'", st -> {
                    JobRows.setInstant(st, 1, now);
                    st.setString(2, reason);
                    JobRows.setInstant(st, 3, now);
                    st.setObject(4, id);
                    st.setString(5, workerId);
                }) > 0;
    }

    /** Jobs whose worker stopped renewing its lease (it died): queued again, or failed when out of attempts. */
    public int recoverExpired(Instant now) {
        return sql.update("recovering jobs with expired leases", "UPDATE " + schema.jobs() + " SET"
                + " state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,"
                + " last_error = 'lease expired: worker ' || coalesce(worker_id, '?') || ' stopped without finishing',"
                + " lease_until = NULL, worker_id = NULL, run_at = ?, updated_at = ?"
                + " WHERE state = 'running' AND lease_until < ?", st -> {
                    JobRows.setInstant(st, 1, now);
                    JobRows.setInstant(st, 2, now);
                    JobRows.setInstant(st, 3, now);
                });
    }

    public int pruneFinished(Instant olderThan) {
        return sql.update("pruning finished jobs", "DELETE FROM " + schema.jobs()
                + " WHERE state IN ('completed', 'failed', 'canceled') AND updated_at < ?",
                st -> JobRows.setInstant(st, 1, olderThan));
    }

    /**
     * When there will next be work: the earliest due schedule, queued job of one of {@code types} (jobs of other
     * types are not this instance's to run: counting them would wake it for nothing) and lease expiry. One
     * query, the only one an idle instance runs.
     */
    public NextWork nextWork(Collection<String> types) {
        NextWorkQuery query = new NextWorkQuery(schema, types);
        return sql.query("looking for due work", query.sql(), st -> query.bind(st, 1), query::read).get(0).nextWork();
    }

    public Optional<Job> find(UUID id) {
        return sql.query("reading a job", "SELECT " + JobRows.JOB_COLUMNS + " FROM " + schema.jobs() + " WHERE id = ?",
                st -> st.setObject(1, id), JobRows::job).stream().findFirst();
    }

    public List<Job> list(JobState state, String type, int limit) {
        return sql.query("listing jobs", "SELECT " + JobRows.JOB_COLUMNS + " FROM " + schema.jobs()
                + " WHERE (?::text IS NULL OR state = ?) AND (?::text IS NULL OR type = ?)"
                + " ORDER BY created_at DESC, id LIMIT ?", st -> {
                    String wire = state == null ? null : state.wireName();
                    st.setString(1, wire);
                    st.setString(2, wire);
                    st.setString(3, type);
                    st.setString(4, type);
                    st.setInt(5, limit);
                }, JobRows::job);
    }

    /** How many jobs are in each state; states without a job are absent. One query. */
    public Map<JobState, Long> countByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        sql.query("counting jobs", "SELECT state, count(*) FROM " + schema.jobs() + " GROUP BY state", st -> { },
                row -> Map.entry(JobState.fromWire(row.getString(1)), row.getLong(2)))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }

    /** Moves a job from one of {@code from} to {@code to}; empty when it was not in one of them. */
    public Optional<Job> transition(UUID id, List<JobState> from, JobState to, Instant now) {
        String extra = switch (to) {
            case QUEUED -> ", attempts = 0, run_at = ?, last_error = NULL, completed_at = NULL, canceled_at = NULL";
            case CANCELED -> ", canceled_at = ?, lease_until = NULL";
            default -> throw new IllegalArgumentException("unsupported transition to " + to);
        };
        return sql.query("changing a job's state", "UPDATE " + schema.jobs() + " SET state = ?, updated_at = ?" + extra
                + " WHERE id = ? AND state = ANY (?) RETURNING " + JobRows.JOB_COLUMNS, st -> {
                    st.setString(1, to.wireName());
                    JobRows.setInstant(st, 2, now);
                    JobRows.setInstant(st, 3, now);
                    st.setObject(4, id);
                    st.setArray(5, st.getConnection().createArrayOf("text",
                            from.stream().map(JobState::wireName).toArray()));
                }, JobRows::job).stream().findFirst();
    }
}
