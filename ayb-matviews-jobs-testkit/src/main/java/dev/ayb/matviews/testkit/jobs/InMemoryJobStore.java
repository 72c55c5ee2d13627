package dev.ayb.matviews.testkit.jobs;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jobs.CronSchedule;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.jobs.spi.JobStore;
import dev.ayb.matviews.jobs.spi.NextWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A {@link JobStore} in memory, for tests of code written against the SPI that need no database. It keeps the
 * SPI's promises (it passes {@link JobStoreContract}); every method holds the store's lock for its whole
 * duration, which is what makes claims exclusive and ticks enqueued once. Schedules are added with
 * {@link #addSchedule}, as the schedule admin would create them.
 */
public final class InMemoryJobStore implements JobStore {
    private static final Set<JobState> FINISHED = Set.of(JobState.COMPLETED, JobState.FAILED, JobState.CANCELED);
    private static final Comparator<Job> DUE_FIRST = Comparator.comparing(Job::runAt).thenComparing(Job::id);

    private final Map<UUID, Job> jobs = new LinkedHashMap<>();
    private final Map<UUID, Schedule> schedules = new LinkedHashMap<>();
    /** The ticks already enqueued, by schedule: the PostgreSQL store's unique (schedule, tick) index. */
    private final Set<String> enqueuedTicks = new HashSet<>();

    /**
     * Adds a schedule whose next tick is the first of its cron expression after {@code now} (none while it is
     * disabled). Defaults as the schedule admin's: time zone UTC, empty payload, enabled, 3 attempts.
     *
     * @throws MatviewException for an invalid cron expression or time zone
     */
    public synchronized Schedule addSchedule(ScheduleSpec spec, Instant now) {
        Objects.requireNonNull(spec, "spec");
        String timezone = spec.timezone() == null ? ScheduleSpec.DEFAULT_TIMEZONE : spec.timezone();
        boolean enabled = spec.enabled() == null || spec.enabled();
        Instant next = CronSchedule.parse(spec.cronExpr(), timezone).nextAfter(now).orElse(null);
        Schedule schedule = new Schedule(UUID.randomUUID(), spec.name(), spec.jobType(),
                spec.payload() == null ? Map.of() : spec.payload(), spec.cronExpr(), timezone, enabled,
                spec.maxAttempts() == null ? ScheduleSpec.DEFAULT_MAX_ATTEMPTS : spec.maxAttempts(),
                enabled ? next : null, null, now, now);
        schedules.put(schedule.id(), schedule);
        return schedule;
    }

    @Override
    public synchronized Job enqueue(String type, Map<String, Object> payload, int maxAttempts, UUID scheduleId,
                                    Instant now) {
        Job job = new Job(UUID.randomUUID(), type, payload, JobState.QUEUED, now, null, null, 0, maxAttempts, null,
                null, null, scheduleId, now, now, null, null);
        jobs.put(job.id(), job);
        return job;
    }

    @Override
    public synchronized Optional<Job> find(UUID id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public synchronized int enqueueDueSchedules(Instant now, int batchSize) {
        List<Schedule> due = schedules.values().stream()
                .filter(s -> s.enabled() && s.nextRunAt() != null && !s.nextRunAt().isAfter(now))
                .sorted(Comparator.comparing(Schedule::nextRunAt)).limit(batchSize).toList();
        int enqueued = 0;
        for (Schedule schedule : due) {
            Instant tick = schedule.nextRunAt();
            if (enqueuedTicks.add(schedule.id() + "@" + tick)) {
                Job job = new Job(UUID.randomUUID(), schedule.jobType(), schedule.payload(), JobState.QUEUED, tick,
                        null, null, 0, schedule.maxAttempts(), null, null, null, schedule.id(), now, now, null, null);
                jobs.put(job.id(), job);
                enqueued++;
            }
            schedules.put(schedule.id(), new Schedule(schedule.id(), schedule.name(), schedule.jobType(),
                    schedule.payload(), schedule.cronExpr(), schedule.timezone(), schedule.enabled(),
                    schedule.maxAttempts(), nextTick(schedule, tick, now), tick, schedule.createdAt(), now));
        }
        return enqueued;
    }

    /** As the PostgreSQL store: ticks a little late run one by one, a schedule far behind skips to after now. */
    private static Instant nextTick(Schedule schedule, Instant tick, Instant now) {
        try {
            return CronSchedule.parse(schedule.cronExpr(), schedule.timezone()).nextAfterDue(tick, now).orElse(null);
        } catch (MatviewException e) {
            return null;
        }
    }

    @Override
    public synchronized List<Job> claim(String workerId, int limit, Instant now, Duration lease,
                                        Collection<String> types) {
        List<Job> due = jobs.values().stream()
                .filter(job -> job.state() == JobState.QUEUED && !job.runAt().isAfter(now))
                .filter(job -> types.contains(job.type()))
                .sorted(DUE_FIRST).limit(limit).toList();
        List<Job> claimed = new ArrayList<>();
        for (Job job : due) {
            Job running = new Job(job.id(), job.type(), job.payload(), JobState.RUNNING, job.runAt(), now.plus(lease),
                    workerId, job.attempts() + 1, job.maxAttempts(), job.lastError(), job.result(), now,
                    job.scheduleId(), job.createdAt(), now, job.completedAt(), job.canceledAt());
            jobs.put(job.id(), running);
            claimed.add(running);
        }
        return claimed;
    }

    @Override
    public synchronized void renewLeases(String workerId, Collection<UUID> jobIds, Instant leaseUntil) {
        for (UUID id : jobIds) {
            Job job = heldBy(id, workerId);
            if (job != null) {
                jobs.put(id, new Job(job.id(), job.type(), job.payload(), job.state(), job.runAt(), leaseUntil,
                        job.workerId(), job.attempts(), job.maxAttempts(), job.lastError(), job.result(),
                        job.lastRunAt(), job.scheduleId(), job.createdAt(), job.updatedAt(), job.completedAt(),
                        job.canceledAt()));
            }
        }
    }

    @Override
    public synchronized boolean complete(UUID id, String workerId, String result, Instant now) {
        Job job = heldBy(id, workerId);
        if (job == null) {
            return false;
        }
        jobs.put(id, new Job(id, job.type(), job.payload(), JobState.COMPLETED, job.runAt(), null, job.workerId(),
                job.attempts(), job.maxAttempts(), null, result, job.lastRunAt(), job.scheduleId(), job.createdAt(),
                now, now, job.canceledAt()));
        return true;
    }

    @Override
    public synchronized boolean fail(UUID id, String workerId, String error, Instant retryAt, Instant now) {
        Job job = heldBy(id, workerId);
        if (job == null) {
            return false;
        }
        boolean retry = retryAt != null;
        jobs.put(id, new Job(id, job.type(), job.payload(), retry ? JobState.QUEUED : JobState.FAILED,
                retry ? retryAt : job.runAt(), null, retry ? null : job.workerId(), job.attempts(), job.maxAttempts(),
                error, job.result(), job.lastRunAt(), job.scheduleId(), job.createdAt(), now, job.completedAt(),
                job.canceledAt()));
        return true;
    }

    @Override
    public synchronized boolean release(UUID id, String workerId, String reason, Instant now) {
        Job job = heldBy(id, workerId);
        if (job == null) {
            return false;
        }
        jobs.put(id, new Job(id, job.type(), job.payload(), JobState.QUEUED, now, null, null,
                Math.max(job.attempts() - 1, 0), job.maxAttempts(), reason != null ? reason : job.lastError(),
                job.result(), job.lastRunAt(), job.scheduleId(), job.createdAt(), now, job.completedAt(),
                job.canceledAt()));
        return true;
    }

    @Override
    public synchronized int recoverExpired(Instant now) {
        List<Job> expired = jobs.values().stream()
                .filter(job -> job.state() == JobState.RUNNING && job.leaseUntil() != null
                        && job.leaseUntil().isBefore(now))
                .toList();
        for (Job job : expired) {
            JobState state = job.attempts() >= job.maxAttempts() ? JobState.FAILED : JobState.QUEUED;
            String error = "lease expired: worker " + (job.workerId() == null ? "?" : job.workerId())
                    + " stopped without finishing";
            jobs.put(job.id(), new Job(job.id(), job.type(), job.payload(), state, now, null, null, job.attempts(),
                    job.maxAttempts(), error, job.result(), job.lastRunAt(), job.scheduleId(), job.createdAt(), now,
                    job.completedAt(), job.canceledAt()));
        }
        return expired.size();
    }

    @Override
    public synchronized NextWork nextWork(Collection<String> types) {
        Instant schedule = earliest(schedules.values().stream().filter(Schedule::enabled).map(Schedule::nextRunAt)
                .toList());
        Instant job = earliest(jobs.values().stream()
                .filter(j -> j.state() == JobState.QUEUED && types.contains(j.type())).map(Job::runAt).toList());
        Instant lease = earliest(jobs.values().stream().filter(j -> j.state() == JobState.RUNNING)
                .map(Job::leaseUntil).toList());
        return new NextWork(schedule, job, lease);
    }

    @Override
    public synchronized int pruneFinished(Instant olderThan) {
        List<UUID> old = jobs.values().stream()
                .filter(job -> FINISHED.contains(job.state()) && job.updatedAt().isBefore(olderThan))
                .map(Job::id).toList();
        old.forEach(jobs::remove);
        return old.size();
    }

    /** The job when it is running and still {@code workerId}'s; null otherwise. */
    private Job heldBy(UUID id, String workerId) {
        Job job = jobs.get(id);
        return job != null && job.state() == JobState.RUNNING && Objects.equals(job.workerId(), workerId) ? job : null;
    }

    private static Instant earliest(List<Instant> instants) {
        return instants.stream().filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
    }
}
