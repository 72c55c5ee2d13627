package dev.ayb.matviews.testkit.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobAttempt;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobOptions;
import dev.ayb.matviews.jobs.JobResult;
import dev.ayb.matviews.jobs.JobRunner;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.PollResult;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A host's own handler and schedules, tested pass by pass on a clock the test moves: no thread, no sleep. */
class ManualJobRunnerTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Instant START = Instant.parse("2026-03-01T09:30:00Z");

    private final SettableClock clock = new SettableClock(START);
    /** The jobs the host's handler was given, in order. */
    private final List<Job> sent = new CopyOnWriteArrayList<>();
    /** How many of the next runs the handler fails. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private AybJobs jobs;
    private ManualJobRunner runner;

    @BeforeEach
    void buildTheScheduler() {
        SampleSchema.reset(PG);
        JobHandler newsletter = JobHandler.of("send_newsletter", job -> {
            sent.add(job);
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("mail server unreachable");
            }
            return JobResult.done("sent to " + job.payload().get("list"));
        });
        jobs = AybJobs.builder(AybMatviews.builder().dataSource(PG.dataSource()).build())
                .jobHandler(newsletter)
                .jobOptions(JobOptions.defaults().withWorkerId("test").withCoordinationClock(clock))
                .build();
        runner = new ManualJobRunner(jobs, clock);
    }

    @Test
    void aScheduleRunsItsHandlerOnceItsTickIsDue() {
        Schedule schedule = jobs.schedules().create(ScheduleSpec.of("hourly_newsletter", "send_newsletter",
                "0 * * * *").withPayload(Map.of("list", "weekly")));

        assertThat(runner.pollOnce().attempts()).as("10:00 has not come").isEmpty();
        PollResult result = runner.advanceAndPoll(Duration.ofMinutes(30));

        assertThat(result.enqueued()).isEqualTo(1);
        assertThat(result.attempts()).singleElement().satisfies(attempt -> {
            assertThat(attempt.outcome()).isEqualTo(JobAttempt.Outcome.COMPLETED);
            assertThat(attempt.message()).isEqualTo("sent to weekly");
        });
        assertThat(sent).singleElement().satisfies(job -> {
            assertThat(job.scheduleId()).isEqualTo(schedule.id());
            assertThat(job.payload()).containsEntry("list", "weekly");
        });
        Job job = jobs.schedules().job(sent.get(0).id());
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.result()).isEqualTo("sent to weekly");
        assertThat(job.completedAt()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(result.nextWork()).as("the next tick").isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(jobThreads()).as("nothing ran on a thread of the library").isEmpty();
    }

    @Test
    void aFailingHandlerIsRetriedAfterTheBackoffAndFailsAfterItsLastAttempt() {
        failuresLeft.set(100);
        jobs.schedules().create(ScheduleSpec.of("newsletter", "send_newsletter", "@yearly").withMaxAttempts(3)
                .withPayload(Map.of("list", "weekly")));
        Job job = jobs.schedules().runNow("newsletter");

        JobAttempt first = runner.pollOnce().attempts().get(0);
        assertThat(first.outcome()).isEqualTo(JobAttempt.Outcome.RETRY_SCHEDULED);
        assertThat(first.message()).contains("mail server unreachable");
        assertThat(Duration.between(START, first.retryAt())).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
        assertThat(runner.pollOnce().attempts()).as("not before the backoff").isEmpty();

        clock.set(first.retryAt());
        JobAttempt second = runner.pollOnce().attempts().get(0);
        assertThat(second.outcome()).isEqualTo(JobAttempt.Outcome.RETRY_SCHEDULED);
        assertThat(Duration.between(first.retryAt(), second.retryAt()))
                .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));

        clock.set(second.retryAt());
        JobAttempt third = runner.pollOnce().attempts().get(0);
        assertThat(third.outcome()).isEqualTo(JobAttempt.Outcome.FAILED);
        assertThat(third.retryAt()).isNull();

        Job failed = jobs.schedules().job(job.id());
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.lastError()).contains("mail server unreachable");
        assertThat(sent).hasSize(3).extracting(Job::id).containsOnly(job.id());
    }

    @Test
    void aHandlerThatRecoversCompletesTheJobOnItsRetry() {
        failuresLeft.set(1);
        jobs.schedules().create(ScheduleSpec.of("newsletter", "send_newsletter", "@yearly")
                .withPayload(Map.of("list", "daily")));
        Job job = jobs.schedules().runNow("newsletter");

        JobAttempt failed = runner.pollOnce().attempts().get(0);
        clock.set(failed.retryAt());
        List<JobAttempt> retried = runner.runUntilIdle();

        assertThat(retried).extracting(JobAttempt::outcome).containsExactly(JobAttempt.Outcome.COMPLETED);
        Job done = jobs.schedules().job(job.id());
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.lastError()).isNull();
    }

    @Test
    void runUntilIdleRunsEverythingDueBeyondOnePassesConcurrency() {
        jobs.schedules().create(ScheduleSpec.of("newsletter", "send_newsletter", "@yearly")
                .withPayload(Map.of("list", "all")));
        for (int i = 0; i < JobOptions.DEFAULT_CONCURRENCY * 2 + 1; i++) {
            jobs.schedules().runNow("newsletter");
        }

        assertThat(runner.pollOnce().attempts()).hasSize(JobOptions.DEFAULT_CONCURRENCY);
        assertThat(runner.runUntilIdle()).hasSize(JobOptions.DEFAULT_CONCURRENCY + 1)
                .allSatisfy(attempt -> assertThat(attempt.outcome()).isEqualTo(JobAttempt.Outcome.COMPLETED));
        assertThat(runner.runUntilIdle()).isEmpty();
        assertThat(jobs.schedules().jobs(JobState.COMPLETED, null, 100)).hasSize(JobOptions.DEFAULT_CONCURRENCY * 2 + 1);
    }

    @Test
    void anAybJobsOnAnotherClockIsRefused() {
        AybJobs onTheDatabaseClock = AybJobs.builder(jobs.matviews()).build();

        assertThatThrownBy(() -> new ManualJobRunner(onTheDatabaseClock, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("withCoordinationClock");
    }

    @Test
    void aPassIsRefusedWhileTheInstancesOwnRunnerIsStarted() {
        AybJobs enabled = AybJobs.builder(jobs.matviews()).jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withWorkerId("started").withCoordinationClock(clock)).build();
        ManualJobRunner manual = new ManualJobRunner(enabled, clock);
        assertThat(manual.pollOnce().attempts()).as("fine while the runner is not started").isEmpty();

        try (JobRunner started = enabled.jobRunner().start()) {
            assertThatThrownBy(manual::pollOnce).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("job runner started is running");
            assertThat(started.isRunning()).isTrue();
        }
    }

    private static List<String> jobThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("ayb-jobs")).toList();
    }
}
