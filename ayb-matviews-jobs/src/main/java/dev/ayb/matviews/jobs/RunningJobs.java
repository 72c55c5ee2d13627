package dev.ayb.matviews.jobs;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Jobs claimed by this runner and not yet finished: what it renews leases for and what close() stops. */
final class RunningJobs {
    private final Map<UUID, RunningJob> running = new ConcurrentHashMap<>();

    int size() {
        return running.size();
    }

    boolean isEmpty() {
        return running.isEmpty();
    }

    boolean contains(UUID jobId) {
        return running.containsKey(jobId);
    }

    void add(RunningJob entry) {
        running.put(entry.job.id(), entry);
    }

    /** Removes this entry only: a job claimed back since is another entry and stays. */
    void remove(RunningJob entry) {
        running.remove(entry.job.id(), entry);
    }

    List<UUID> ids() {
        return List.copyOf(running.keySet());
    }

    Collection<RunningJob> all() {
        return running.values();
    }

    void clear() {
        running.clear();
    }
}
