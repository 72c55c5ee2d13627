package dev.ayb.matviews.testkit.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.jobs.spi.JobStore;
import dev.ayb.matviews.jobs.spi.NextWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobStore} must do, as its javadoc promises it: the states a job moves through, that only
 * due jobs of the asked types are claimed and never one by two claimers at once, that a worker's writes about a
 * job count only while the job is still its own, lease renewal and recovery, schedule ticks enqueued once even
 * when instances race, the next-work question, and pruning. An implementation runs it by extending this class,
 * returning a fresh, empty store from {@link #newStore()} and creating schedules in it through
 * {@link #createSchedule}.
 *
 * <p>Instants are whole seconds, so a store may keep them at any precision down to microseconds. The concurrent
 * tests call one store from several threads at once, as the instances of a deployment do.
 */
public abstract class JobStoreContract {
    /** The job type the contract's jobs and schedules mostly use. */
    public static final String JOB_TYPE = "contract_job";
    /** A type the claiming worker has no handler for. */
    public static final String OTHER_JOB_TYPE = "contract_other";
    /** Every type the contract uses: a store that accepts schedules only of known types must know these. */
    public static final List<String> JOB_TYPES = List.of(JOB_TYPE, OTHER_JOB_TYPE);

    private static final Instant NOW = Instant.parse("2026-03-01T09:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Map<String, Object> PAYLOAD = Map.of("view_name", "leaderboard");
    private static final List<String> TYPES = List.of(JOB_TYPE);

    private JobStore store;

    /** A store holding no jobs and no schedules; called before each test. */
    protected abstract JobStore newStore();

    /**
     * Adds an enabled schedule to the store {@link #newStore()} returned last, as the schedule admin creates one
     * at {@code now}: its next tick is the first of its cron expression after {@code now}.
     */
    protected abstract Schedule createSchedule(ScheduleSpec spec, Instant now);

    @BeforeEach
    void openTheStore() {
        store = newStore();
    }

    @Test
    void anEnqueuedJobIsQueuedDueNowWithNoAttemptAndFoundById() {
        Job job = store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW);

        assertEquals(JobState.QUEUED, job.state());
        assertEquals(JOB_TYPE, job.type());
        assertEquals(PAYLOAD, job.payload());
        assertEquals(NOW, job.runAt());
        assertEquals(0, job.attempts());
        assertEquals(3, job.maxAttempts());
        assertNull(job.workerId());
        assertNull(job.scheduleId());
        assertEquals(Optional.of(job), store.find(job.id()));
        assertEquals(Optional.empty(), store.find(UUID.randomUUID()));
    }

    @Test
    void claimTakesOnlyDueJobsOfTheGivenTypesEarliestFirst() {
        Job later = store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW.minusSeconds(10));
        Job earlier = store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW.minusSeconds(20));
        Job notDue = store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW.plusSeconds(1));
        Job otherType = store.enqueue(OTHER_JOB_TYPE, PAYLOAD, 3, null, NOW.minusSeconds(30));

        List<Job> first = store.claim("worker-a", 1, NOW, LEASE, TYPES);
        List<Job> rest = store.claim("worker-a", 10, NOW, LEASE, TYPES);

        assertEquals(List.of(earlier.id()), ids(first));
        assertEquals(List.of(later.id()), ids(rest));
        Job claimed = first.get(0);
        assertEquals(JobState.RUNNING, claimed.state());
        assertEquals("worker-a", claimed.workerId());
        assertEquals(NOW.plus(LEASE), claimed.leaseUntil());
        assertEquals(1, claimed.attempts());
        assertEquals(NOW, claimed.lastRunAt());
        assertEquals(Optional.of(claimed), store.find(earlier.id()));
        assertEquals(JobState.QUEUED, state(notDue));
        assertEquals(JobState.QUEUED, state(otherType));
        assertEquals(List.of(), store.claim("worker-a", 10, NOW, LEASE, TYPES), "nothing left due");
    }

    @Test
    void twoClaimersAtTheSameMomentNeverGetTheSameJob() throws Exception {
        int jobs = 100;
        for (int i = 0; i < jobs; i++) {
            store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW);
        }

        List<List<Job>> claims = race(4, racer -> {
            List<Job> mine = new ArrayList<>();
            List<Job> batch;
            while (!(batch = store.claim("worker-" + racer, 2, NOW, LEASE, TYPES)).isEmpty()) {
                mine.addAll(batch);
            }
            return mine;
        });

        Set<UUID> claimed = new HashSet<>();
        for (int racer = 0; racer < claims.size(); racer++) {
            for (Job job : claims.get(racer)) {
                assertTrue(claimed.add(job.id()), "job " + job.id() + " claimed twice");
                Job stored = store.find(job.id()).orElseThrow();
                assertEquals("worker-" + racer, stored.workerId(), "the claimer it was returned to holds it");
                assertEquals(1, stored.attempts());
            }
        }
        assertEquals(jobs, claimed.size(), "every due job claimed");
    }

    @Test
    void completeCountsOnlyForTheWorkerThatHoldsTheJob() {
        Job job = claimOne("worker-a");

        assertFalse(store.complete(job.id(), "worker-b", "not mine", NOW));
        assertEquals(JobState.RUNNING, state(job));
        assertTrue(store.complete(job.id(), "worker-a", "done", NOW.plusSeconds(3)));

        Job completed = store.find(job.id()).orElseThrow();
        assertEquals(JobState.COMPLETED, completed.state());
        assertEquals("done", completed.result());
        assertEquals(NOW.plusSeconds(3), completed.completedAt());
        assertNull(completed.leaseUntil());
        assertNull(completed.lastError());
        assertFalse(store.complete(job.id(), "worker-a", "again", NOW.plusSeconds(4)), "no longer running");
        assertFalse(store.complete(UUID.randomUUID(), "worker-a", "unknown", NOW));
    }

    @Test
    void aFailureWithARetryTimeQueuesTheJobAgainAndWithoutOneFailsIt() {
        Job retried = claimOne("worker-a");
        Instant retryAt = NOW.plusSeconds(30);

        assertFalse(store.fail(retried.id(), "worker-b", "not mine", retryAt, NOW));
        assertEquals(JobState.RUNNING, state(retried));
        assertTrue(store.fail(retried.id(), "worker-a", "boom", retryAt, NOW));

        Job queued = store.find(retried.id()).orElseThrow();
        assertEquals(JobState.QUEUED, queued.state());
        assertEquals(retryAt, queued.runAt());
        assertEquals(1, queued.attempts(), "the attempt stays counted");
        assertEquals("boom", queued.lastError());
        assertNull(queued.workerId());
        assertNull(queued.leaseUntil());
        assertEquals(List.of(), store.claim("worker-a", 10, NOW.plusSeconds(29), LEASE, TYPES), "not due yet");

        Job again = store.claim("worker-a", 10, retryAt, LEASE, TYPES).get(0);
        assertEquals(2, again.attempts());
        assertTrue(store.fail(again.id(), "worker-a", "boom again", null, retryAt));
        Job failed = store.find(again.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertEquals("boom again", failed.lastError());
        assertEquals("worker-a", failed.workerId());
        assertNull(failed.leaseUntil());
        assertFalse(store.fail(again.id(), "worker-a", "once more", null, retryAt), "no longer running");
    }

    @Test
    void aReleasedJobIsQueuedAgainDueNowWithItsAttemptTakenBack() {
        Job job = claimOne("worker-a");

        assertFalse(store.release(job.id(), "worker-b", "not mine", NOW));
        assertEquals(JobState.RUNNING, state(job));
        assertTrue(store.release(job.id(), "worker-a", "stopped by the shutdown", NOW.plusSeconds(5)));

        Job released = store.find(job.id()).orElseThrow();
        assertEquals(JobState.QUEUED, released.state());
        assertEquals(0, released.attempts());
        assertEquals(NOW.plusSeconds(5), released.runAt());
        assertNull(released.workerId());
        assertNull(released.leaseUntil());
        assertEquals("stopped by the shutdown", released.lastError());
        assertFalse(store.release(job.id(), "worker-a", null, NOW), "no longer running");

        Job claimedAgain = store.claim("worker-a", 1, NOW.plusSeconds(5), LEASE, TYPES).get(0);
        assertTrue(store.release(claimedAgain.id(), "worker-a", null, NOW.plusSeconds(6)));
        assertEquals("stopped by the shutdown", store.find(job.id()).orElseThrow().lastError(),
                "a release without a reason keeps the last error");
    }

    @Test
    void renewalExtendsOnlyTheLeasesOfTheWorkersOwnRunningJobs() {
        Job mine = claimOne("worker-a");
        Job theirs = claimOne("worker-b");
        Job finished = claimOne("worker-a");
        assertTrue(store.complete(finished.id(), "worker-a", null, NOW));
        Instant extended = NOW.plus(LEASE).plusSeconds(60);

        store.renewLeases("worker-a", List.of(mine.id(), theirs.id(), finished.id(), UUID.randomUUID()), extended);
        store.renewLeases("worker-a", List.of(), extended.plusSeconds(60));

        assertEquals(extended, store.find(mine.id()).orElseThrow().leaseUntil());
        assertEquals(NOW.plus(LEASE), store.find(theirs.id()).orElseThrow().leaseUntil());
        assertNull(store.find(finished.id()).orElseThrow().leaseUntil());
        assertEquals(JobState.COMPLETED, state(finished));
    }

    @Test
    void recoveryReturnsJobsWhoseLeaseRanOutAndFailsThoseOutOfAttempts() {
        Job expired = claimOne("worker-dead");
        Job lastAttempt = store.enqueue(JOB_TYPE, PAYLOAD, 1, null, NOW.minusSeconds(1));
        store.claim("worker-dead", 1, NOW, LEASE, TYPES);
        Job alive = store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW.minusSeconds(1));
        store.claim("worker-alive", 1, NOW.plusSeconds(60), LEASE, TYPES);
        Instant later = NOW.plus(LEASE).plusSeconds(1);

        assertEquals(2, store.recoverExpired(later));

        Job requeued = store.find(expired.id()).orElseThrow();
        assertEquals(JobState.QUEUED, requeued.state());
        assertEquals(later, requeued.runAt());
        assertNull(requeued.workerId());
        assertNull(requeued.leaseUntil());
        assertNotNull(requeued.lastError());
        assertTrue(requeued.lastError().contains("worker-dead"), requeued.lastError());
        assertEquals(JobState.FAILED, state(lastAttempt));
        Job stillRunning = store.find(alive.id()).orElseThrow();
        assertEquals(JobState.RUNNING, stillRunning.state());
        assertEquals("worker-alive", stillRunning.workerId());
        assertEquals(0, store.recoverExpired(later), "nothing left to recover");
        assertFalse(store.complete(expired.id(), "worker-dead", "too late", later), "no longer the dead worker's");
    }

    @Test
    void aDueScheduleTickBecomesOneQueuedJobAndTheScheduleMovesOn() {
        Schedule schedule = createSchedule(ScheduleSpec.of("hourly", JOB_TYPE, "0 * * * *").withPayload(PAYLOAD)
                .withMaxAttempts(4), NOW);
        Instant tick = Instant.parse("2026-03-01T10:00:00Z");
        assertEquals(tick, schedule.nextRunAt());

        assertEquals(0, store.enqueueDueSchedules(tick.minusSeconds(1), 100), "not due yet");
        assertEquals(1, store.enqueueDueSchedules(tick, 100));
        assertEquals(0, store.enqueueDueSchedules(tick, 100), "the tick is enqueued once");

        List<Job> jobs = store.claim("worker-a", 10, tick, LEASE, TYPES);
        assertEquals(1, jobs.size());
        Job job = jobs.get(0);
        assertEquals(schedule.id(), job.scheduleId());
        assertEquals(PAYLOAD, job.payload());
        assertEquals(4, job.maxAttempts());
        assertEquals(tick, job.runAt());
        assertEquals(tick.plus(Duration.ofHours(1)), store.nextWork(TYPES).schedule(), "the next tick");
    }

    @Test
    void instancesRacingForTheSameTickEnqueueItExactlyOnce() throws Exception {
        createSchedule(ScheduleSpec.of("every_second", JOB_TYPE, "* * * * * *"), NOW);
        int ticks = 5;
        for (int tick = 1; tick <= ticks; tick++) {
            Instant now = NOW.plusSeconds(tick);

            List<Integer> enqueued = race(4, racer -> store.enqueueDueSchedules(now, 100));

            assertEquals(1, enqueued.stream().mapToInt(Integer::intValue).sum(), "tick " + now + " enqueued once");
        }
        List<Job> jobs = store.claim("worker-a", 100, NOW.plusSeconds(ticks), LEASE, TYPES);
        Set<Instant> runAts = new HashSet<>();
        jobs.forEach(job -> runAts.add(job.runAt()));
        assertEquals(ticks, jobs.size());
        assertEquals(ticks, runAts.size(), "one job per tick");
    }

    @Test
    void nextWorkReportsTheEarliestTickQueuedJobOfTheAskedTypesAndLeaseExpiry() {
        assertEquals(NextWork.NONE, store.nextWork(TYPES), "nothing at all");
        createSchedule(ScheduleSpec.of("hourly", JOB_TYPE, "0 * * * *"), NOW);
        store.enqueue(OTHER_JOB_TYPE, PAYLOAD, 3, null, NOW.minusSeconds(600));
        store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW.plusSeconds(120));
        store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW.plusSeconds(60));
        store.enqueue(OTHER_JOB_TYPE, PAYLOAD, 3, null, NOW.minusSeconds(60));
        store.claim("worker-b", 1, NOW, LEASE, List.of(OTHER_JOB_TYPE));

        NextWork next = store.nextWork(TYPES);

        assertEquals(Instant.parse("2026-03-01T10:00:00Z"), next.schedule());
        assertEquals(NOW.plusSeconds(60), next.job(), "jobs of types the worker lacks do not count");
        assertEquals(NOW.plus(LEASE), next.leaseExpiry(), "a lease of any type counts");
        assertEquals(NOW.plusSeconds(60), next.earliest());
        assertEquals(NOW.minusSeconds(60), store.nextWork(JOB_TYPES).job());
    }

    @Test
    void pruningDeletesOnlyFinishedJobsLastChangedBeforeTheCutOff() {
        Instant cutOff = NOW.plus(Duration.ofDays(7));
        Job oldCompleted = claimOne("worker-a");
        assertTrue(store.complete(oldCompleted.id(), "worker-a", null, cutOff.minusSeconds(1)));
        Job oldFailed = claimOne("worker-a");
        assertTrue(store.fail(oldFailed.id(), "worker-a", "boom", null, cutOff.minusSeconds(1)));
        Job recentCompleted = claimOne("worker-a");
        assertTrue(store.complete(recentCompleted.id(), "worker-a", null, cutOff.plusSeconds(1)));
        Job oldRunning = claimOne("worker-a");
        Job oldQueued = store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW.minus(Duration.ofDays(30)));

        assertEquals(2, store.pruneFinished(cutOff));

        assertEquals(Optional.empty(), store.find(oldCompleted.id()));
        assertEquals(Optional.empty(), store.find(oldFailed.id()));
        assertEquals(JobState.COMPLETED, state(recentCompleted));
        assertEquals(JobState.RUNNING, state(oldRunning));
        assertEquals(JobState.QUEUED, state(oldQueued));
        assertEquals(0, store.pruneFinished(cutOff));
    }

    /** A job enqueued due now and claimed by {@code workerId}. */
    private Job claimOne(String workerId) {
        Job job = store.enqueue(JOB_TYPE, PAYLOAD, 3, null, NOW);
        List<Job> claimed = store.claim(workerId, 1, NOW, LEASE, TYPES);
        assertEquals(List.of(job.id()), ids(claimed), "the only due job");
        return claimed.get(0);
    }

    private JobState state(Job job) {
        return store.find(job.id()).orElseThrow().state();
    }

    private static List<UUID> ids(List<Job> jobs) {
        return jobs.stream().map(Job::id).toList();
    }

    /** Runs {@code racers} calls at the same moment on as many threads; their results, by racer. */
    private static <T> List<T> race(int racers, Racer<T> racer) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> results = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                int index = i;
                Callable<T> call = () -> {
                    go.await();
                    return racer.run(index);
                };
                results.add(threads.submit(call));
            }
            go.countDown();
            List<T> values = new ArrayList<>();
            for (Future<T> result : results) {
                values.add(result.get(30, TimeUnit.SECONDS));
            }
            return values;
        } finally {
            threads.shutdownNow();
        }
    }

    /** One racer's call. */
    @FunctionalInterface
    private interface Racer<T> {
        T run(int racer) throws Exception;
    }
}
