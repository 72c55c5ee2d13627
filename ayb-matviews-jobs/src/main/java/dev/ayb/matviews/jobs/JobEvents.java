package dev.ayb.matviews.jobs;

import dev.ayb.matviews.EventSubscription;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to the deployment's jobs and schedules, for the admin event stream. They are noticed by reading the
 * schedules and the newest {@value #RECENT_JOBS} jobs every poll interval and comparing their
 * {@code updatedAt} with the previous read, on one daemon thread that runs only while a subscription is open;
 * so they come from every instance, at most one interval late, and a job that changes twice within an interval
 * is seen once, as it is after both. Unlike refresh events they have no history to replay.
 */
public final class JobEvents {
    /** How many of the newest jobs each read looks at. */
    public static final int RECENT_JOBS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);

    private final ScheduleAdmin admin;
    private final Duration pollInterval;
    private final List<Consumer<JobEvent>> subscribers = new CopyOnWriteArrayList<>();
    private @Nullable Watcher watcher;

    JobEvents(ScheduleAdmin admin, Duration pollInterval) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /**
     * Changes from now on, until the subscription is closed. The consumer is called on the library's thread and
     * must return quickly; one that throws is logged and keeps its subscription.
     */
    public synchronized EventSubscription subscribe(Consumer<JobEvent> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        if (watcher == null) {
            Watcher started = new Watcher();
            started.read();
            watcher = started;
            Thread thread = new Thread(started, "ayb-matviews-job-events");
            thread.setDaemon(true);
            thread.start();
        }
        Consumer<JobEvent> subscriber = consumer::accept;
        subscribers.add(subscriber);
        return () -> unsubscribe(subscriber);
    }

    private synchronized void unsubscribe(Consumer<JobEvent> subscriber) {
        if (subscribers.remove(subscriber) && subscribers.isEmpty() && watcher != null) {
            watcher.stopped = true;
            watcher = null;
        }
    }

    private void deliver(JobEvent event) {
        for (Consumer<JobEvent> subscriber : subscribers) {
            try {
                subscriber.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A job event subscriber failed", e);
            }
        }
    }

    /** The last read's {@code updatedAt} of each schedule and job; the first read only learns them. */
    private final class Watcher implements Runnable {
        private Map<UUID, Instant> seen = new HashMap<>();
        private boolean learned;
        volatile boolean stopped;

        @Override
        public void run() {
            while (!stopped) {
                LockSupport.parkNanos(pollInterval.toNanos());
                if (stopped) {
                    return;
                }
                try {
                    read();
                } catch (RuntimeException e) {
                    LOG.warn("Reading jobs and schedules for events failed; retrying in {}", pollInterval, e);
                }
            }
        }

        void read() {
            Map<UUID, Instant> read = new HashMap<>();
            for (Schedule schedule : admin.list()) {
                if (changed(read, schedule.id(), schedule.updatedAt())) {
                    deliver(JobEvent.of(schedule));
                }
            }
            // Oldest first, so events come in the order the jobs were created.
            List<Job> jobs = admin.jobs(null, null, RECENT_JOBS);
            for (int i = jobs.size() - 1; i >= 0; i--) {
                Job job = jobs.get(i);
                if (changed(read, job.id(), job.updatedAt())) {
                    deliver(JobEvent.of(job));
                }
            }
            // What this read did not see (a deleted schedule, a job older than the newest few) is forgotten.
            seen = read;
            learned = true;
        }

        private boolean changed(Map<UUID, Instant> read, UUID id, Instant updatedAt) {
            read.put(id, updatedAt);
            return learned && !updatedAt.equals(seen.get(id));
        }
    }
}
