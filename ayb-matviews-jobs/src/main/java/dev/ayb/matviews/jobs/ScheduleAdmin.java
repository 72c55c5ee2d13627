package dev.ayb.matviews.jobs;

import dev.ayb.matviews.CanonicalUuid;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.support.MessageText;
import dev.ayb.matviews.jobs.internal.JdbcJobs;
import dev.ayb.matviews.jobs.internal.JdbcSchedules;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Schedules and jobs as data: create, change, enable, disable, run now, delete; list, retry and cancel
 * jobs. Works whether or not this instance runs a {@link JobRunner} (a CLI manages the schedules of a
 * running application), and starts no thread. Obtained from {@link AybJobs#schedules()}.
 */
public final class ScheduleAdmin {
    public static final int MAX_JOB_LIST_LIMIT = 1000;
    public static final int MAX_PREVIEW_COUNT = 100;
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final JdbcSchedules schedules;
    private final JdbcJobs jobs;
    private final Map<String, JobHandler> handlers;
    private final Clock clock;
    private volatile Runnable workAdded = () -> { };

    /**
     * Created by {@link AybJobs}.
     *
     * @param clock the job queue's coordination clock (the database's unless a test sets one): next runs are
     *              computed from it, so that a tick is due at the same moment for every instance
     */
    ScheduleAdmin(JdbcSchedules schedules, JdbcJobs jobs, Map<String, JobHandler> handlers, Clock clock) {
        this.schedules = Objects.requireNonNull(schedules, "schedules");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.handlers = Map.copyOf(handlers);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Lets a local runner wake up at once when work is added here, rather than at its next poll. */
    void onWorkAdded(Runnable listener) {
        this.workAdded = Objects.requireNonNull(listener);
    }

    /** The job types schedules may use: the handlers this instance knows. */
    public Set<String> jobTypes() {
        return handlers.keySet();
    }

    /**
     * Creates a schedule. Defaults: time zone UTC, empty payload, enabled, 3 attempts.
     *
     * @throws MatviewException 400 for a missing or invalid field or unknown job type, 409 for a
     *                          name already taken
     */
    public Schedule create(ScheduleSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Instant now = clock.instant();
        Schedule draft = validated(new Schedule(UUID.randomUUID(), required(spec.name(), ErrorCode.SCHEDULE_NAME_REQUIRED),
                required(spec.jobType(), ErrorCode.JOB_TYPE_REQUIRED), orEmpty(spec.payload()),
                required(spec.cronExpr(), ErrorCode.CRON_REQUIRED),
                spec.timezone() == null || spec.timezone().isBlank() ? ScheduleSpec.DEFAULT_TIMEZONE : spec.timezone(),
                spec.enabled() == null || spec.enabled(),
                spec.maxAttempts() == null ? ScheduleSpec.DEFAULT_MAX_ATTEMPTS : spec.maxAttempts(),
                null, null, now, now), now);
        Schedule created = schedules.insert(draft);
        workAdded.run();
        return created;
    }

    /** @param ref the schedule's id or its name */
    public Schedule get(String ref) {
        return find(ref).orElseThrow(() -> new MatviewException(ErrorCode.SCHEDULE_NOT_FOUND));
    }

    public Optional<Schedule> find(String ref) {
        if (ref == null || ref.isBlank()) {
            return Optional.empty();
        }
        Optional<UUID> id = CanonicalUuid.parse(ref);
        return id.isPresent() ? schedules.findById(id.get()) : schedules.findByName(ref);
    }

    /** All schedules, ordered by name. */
    public List<Schedule> list() {
        return schedules.findAll();
    }

    /** Applies the non-null fields of {@code changes}; the next run is recomputed from now. */
    public Schedule update(String ref, ScheduleSpec changes) {
        Objects.requireNonNull(changes, "changes");
        Schedule current = get(ref);
        Instant now = clock.instant();
        Schedule changed = validated(new Schedule(current.id(),
                changes.name() == null ? current.name() : required(changes.name(), ErrorCode.SCHEDULE_NAME_REQUIRED),
                changes.jobType() == null ? current.jobType() : required(changes.jobType(), ErrorCode.JOB_TYPE_REQUIRED),
                changes.payload() == null ? current.payload() : changes.payload(),
                changes.cronExpr() == null ? current.cronExpr() : required(changes.cronExpr(), ErrorCode.CRON_REQUIRED),
                changes.timezone() == null ? current.timezone()
                        : changes.timezone().isBlank() ? ScheduleSpec.DEFAULT_TIMEZONE : changes.timezone(),
                changes.enabled() == null ? current.enabled() : changes.enabled(),
                changes.maxAttempts() == null ? current.maxAttempts() : changes.maxAttempts(),
                current.nextRunAt(), current.lastRunAt(), current.createdAt(), now), now);
        if (sameTiming(current, changed)) {
            // A rename or a new payload must not move (or drop) a tick that is due.
            changed = withNextRun(changed, current.nextRunAt());
        }
        Schedule updated = schedules.replace(changed);
        workAdded.run();
        return updated;
    }

    /** Keeps the cron expression; the next run is computed from now. */
    public Schedule enable(String ref) {
        return update(ref, ScheduleSpec.unchanged().withEnabled(true));
    }

    /** Keeps the cron expression and clears the next run. */
    public Schedule disable(String ref) {
        return update(ref, ScheduleSpec.unchanged().withEnabled(false));
    }

    public void delete(String ref) {
        if (!schedules.delete(get(ref).id())) {
            throw new MatviewException(ErrorCode.SCHEDULE_NOT_FOUND);
        }
    }

    /** Enqueues one run now, without touching the schedule's next run or its history. */
    public Job runNow(String ref) {
        Schedule schedule = get(ref);
        Job job;
        try {
            job = jobs.enqueue(schedule.jobType(), schedule.payload(), schedule.maxAttempts(), schedule.id(),
                    clock.instant());
        } catch (MatviewException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.sqlState().orElse(null))) {
                // Deleted between the lookup and the insert (by another request or instance).
                throw new MatviewException(ErrorCode.SCHEDULE_NOT_FOUND);
            }
            throw e;
        }
        workAdded.run();
        return job;
    }

    /** The next {@code count} run times of a cron expression in a zone (for previews). */
    public List<Instant> preview(String cronExpr, String timezone, int count) {
        return preview(cronExpr, timezone, count, clock.instant());
    }

    /**
     * The next {@code count} run times after {@code after}, by the same rules as {@link #preview(String, String, int)}:
     * it reads no table, so a tool can check a cron expression without a database.
     */
    public static List<Instant> preview(String cronExpr, String timezone, int count, Instant after) {
        if (count < 1 || count > MAX_PREVIEW_COUNT) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "count must be between 1 and " + MAX_PREVIEW_COUNT);
        }
        return CronSchedule.parse(required(cronExpr, ErrorCode.CRON_REQUIRED), timezone).next(after, count);
    }

    /**
     * Jobs, newest first.
     *
     * @param state null for every state
     * @param type  null for every type
     */
    public List<Job> jobs(@Nullable JobState state, @Nullable String type, int limit) {
        if (limit < 1 || limit > MAX_JOB_LIST_LIMIT) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "limit must be between 1 and " + MAX_JOB_LIST_LIMIT);
        }
        return jobs.list(state, type, limit);
    }

    /**
     * How many jobs the queue holds in each state, every state present (zero when none): finished ones are kept
     * for {@link JobOptions#finishedJobRetention()}. One query; for metrics and monitors.
     */
    public Map<JobState, Long> jobCounts() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            counts.put(state, 0L);
        }
        counts.putAll(jobs.countByState());
        return counts;
    }

    public Job job(UUID id) {
        return jobs.find(id).orElseThrow(() -> new MatviewException(ErrorCode.JOB_NOT_FOUND));
    }

    /** Queues a failed or canceled job again, with a fresh count of attempts. */
    public Job retryJob(UUID id) {
        Job job = transition(id, List.of(JobState.FAILED, JobState.CANCELED), JobState.QUEUED);
        workAdded.run();
        return job;
    }

    /** Cancels a job that has not started. */
    public Job cancelJob(UUID id) {
        return transition(id, List.of(JobState.QUEUED), JobState.CANCELED);
    }

    private Job transition(UUID id, List<JobState> from, JobState to) {
        Optional<Job> moved = jobs.transition(id, from, to, clock.instant());
        if (moved.isPresent()) {
            return moved.get();
        }
        Job current = job(id);
        throw new MatviewException(ErrorCode.INVALID_JOB_STATE, "job is " + current.state() + "; only "
                + from.stream().map(JobState::wireName).reduce((a, b) -> a + " or " + b).orElse("") + " jobs can be "
                + (to == JobState.QUEUED ? "retried" : "canceled"));
    }

    private static boolean sameTiming(Schedule before, Schedule after) {
        return before.enabled() == after.enabled() && before.cronExpr().equals(after.cronExpr())
                && before.timezone().equals(after.timezone());
    }

    private static Schedule withNextRun(Schedule s, Instant nextRunAt) {
        return new Schedule(s.id(), s.name(), s.jobType(), s.payload(), s.cronExpr(), s.timezone(), s.enabled(),
                s.maxAttempts(), nextRunAt, s.lastRunAt(), s.createdAt(), s.updatedAt());
    }

    /** Checks every rule and fills in the next run. */
    private Schedule validated(Schedule s, Instant now) {
        if (s.name().length() > ScheduleSpec.MAX_NAME_LENGTH) {
            throw new MatviewException(ErrorCode.SCHEDULE_NAME_TOO_LONG);
        }
        if (hasUnpairedSurrogate(s.name())) {
            // The driver would store '?' in its place: the schedule could not be found by the name it was given.
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "name must be valid Unicode text");
        }
        if (s.jobType().length() > ScheduleSpec.MAX_NAME_LENGTH) {
            throw new MatviewException(ErrorCode.JOB_TYPE_TOO_LONG);
        }
        JobHandler handler = handlers.get(s.jobType());
        if (handler == null) {
            throw new MatviewException(ErrorCode.UNKNOWN_JOB_TYPE, "unknown job type: "
                    + MessageText.printable(s.jobType()) + " (known: "
                    + String.join(", ", handlers.keySet().stream().sorted().toList()) + ")");
        }
        CronSchedule cron = CronSchedule.parse(s.cronExpr(), s.timezone());
        if (s.maxAttempts() < 1 || s.maxAttempts() > 100) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "maxAttempts must be between 1 and 100");
        }
        handler.validatePayload(s.payload());
        Instant next = s.enabled() ? cron.nextAfter(now).orElse(null) : null;
        return new Schedule(s.id(), s.name(), s.jobType(), s.payload(), s.cronExpr().trim(), s.timezone(), s.enabled(),
                s.maxAttempts(), next, s.lastRunAt(), s.createdAt(), s.updatedAt());
    }

    private static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String required(String value, ErrorCode missing) {
        if (value == null || value.isBlank()) {
            throw new MatviewException(missing);
        }
        return value;
    }

    private static Map<String, Object> orEmpty(Map<String, Object> payload) {
        return payload == null ? Map.of() : payload;
    }

}
