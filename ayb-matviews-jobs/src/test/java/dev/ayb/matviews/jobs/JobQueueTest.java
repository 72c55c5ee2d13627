package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.SettableClock;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The queue's rules, driven one poll at a time on a clock the test moves. */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class JobQueueTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The suite runs over pools with either setting; false is the Spring/JPA default. */
    @Parameter
    boolean autoCommit;

    private static final Instant START = Instant.parse("2026-02-22T10:15:00Z");
    private static final Map<String, Object> LEADERBOARD = Map.of("schema", "public", "view_name", "leaderboard");

    private final SettableClock clock = new SettableClock(START);
    private final List<Job> handled = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToThrow = new AtomicInteger();
    private AybJobs jobs;
    private JobRunner runner;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        jobs = instance(PG.dataSource(autoCommit), "worker-a");
        runner = jobs.jobRunner();
    }

    @AfterEach
    void closeRunner() {
        runner.close();
    }

    @Test
    void aDueScheduleEnqueuesOneJobRunsItAndMovesToTheNextTick() {
        Schedule schedule = jobs.schedules().create(ScheduleSpec.of("counter", "count", "0 * * * *"));
        clock.set(Instant.parse("2026-02-22T11:00:00Z"));

        runner.pollOnce();
        runner.pollOnce();

        assertThat(handled).hasSize(1);
        assertThat(handled.get(0).scheduleId()).isEqualTo(schedule.id());
        Schedule after = jobs.schedules().get("counter");
        assertThat(after.lastRunAt()).isEqualTo(Instant.parse("2026-02-22T11:00:00Z"));
        assertThat(after.nextRunAt()).isEqualTo(Instant.parse("2026-02-22T12:00:00Z"));
        Job job = jobs.schedules().job(handled.get(0).id());
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.workerId()).isEqualTo("worker-a");
        assertThat(job.completedAt()).isEqualTo(Instant.parse("2026-02-22T11:00:00Z"));
    }

    @Test
    void ticksMissedWhileEveryInstanceWasDownCollapseIntoOneRun() {
        jobs.schedules().create(ScheduleSpec.of("counter", "count", "0 * * * *"));
        clock.set(Instant.parse("2026-02-22T16:30:00Z"));

        runner.pollOnce();
        runner.pollOnce();

        assertThat(handled).hasSize(1);
        assertThat(jobs.schedules().get("counter").nextRunAt()).isEqualTo(Instant.parse("2026-02-22T17:00:00Z"));
    }

    @Test
    void ticksAFewSecondsLateAreStillRunOneByOne() {
        jobs.schedules().create(ScheduleSpec.of("every_second", "count", "* * * * * *"));
        clock.advance(Duration.ofSeconds(4));

        runner.pollOnce();
        runner.pollOnce();

        // 10:15:01 .. 10:15:04: a slow poll must not lose ticks of a fast schedule.
        assertThat(handled).hasSize(4);
        assertThat(PG.queryLong("SELECT count(DISTINCT scheduled_for) FROM ayb.jobs")).isEqualTo(4);
        assertThat(jobs.schedules().get("every_second").nextRunAt()).isEqualTo(START.plusSeconds(5));
    }

    @Test
    void disabledSchedulesNeverFire() {
        jobs.schedules().create(ScheduleSpec.of("counter", "count", "0 * * * *").withEnabled(false));
        clock.set(Instant.parse("2026-02-23T11:00:00Z"));

        runner.pollOnce();

        assertThat(handled).isEmpty();
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.jobs")).isZero();
    }

    @Test
    void aFailingJobIsRetriedWithGrowingBackoffAndThenFails() {
        failuresToThrow.set(100);
        jobs.schedules().create(ScheduleSpec.of("flaky", "count", "0 * * * *").withMaxAttempts(3));
        Job job = jobs.schedules().runNow("flaky");

        runner.pollOnce();
        Job afterFirst = jobs.schedules().job(job.id());
        assertThat(afterFirst.state()).isEqualTo(JobState.QUEUED);
        assertThat(afterFirst.attempts()).isEqualTo(1);
        assertThat(afterFirst.lastError()).contains("boom 1");
        assertThat(Duration.between(START, afterFirst.runAt())).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));

        runner.pollOnce();
        assertThat(handled).hasSize(1);

        clock.set(afterFirst.runAt());
        runner.pollOnce();
        Job afterSecond = jobs.schedules().job(job.id());
        assertThat(afterSecond.attempts()).isEqualTo(2);
        assertThat(Duration.between(clock.instant(), afterSecond.runAt()))
                .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));

        clock.set(afterSecond.runAt());
        runner.pollOnce();
        Job last = jobs.schedules().job(job.id());
        assertThat(last.state()).isEqualTo(JobState.FAILED);
        assertThat(last.attempts()).isEqualTo(3);
        assertThat(last.lastError()).contains("boom 3");
        assertThat(handled).hasSize(3);
    }

    @Test
    void anInstanceWithoutTheHandlerLeavesTheJobQueuedForOneThatHasIt() {
        jobs.schedules().create(ScheduleSpec.of("counter", "count", "@daily"));
        Job job = jobs.schedules().runNow("counter");
        // The same database, an instance deployed without the "count" handler (a rolling deploy).
        AybJobs older = AybJobs.builder(AybMatviews.builder().dataSource(PG.newDataSource(2, autoCommit)).build())
                .jobsEnabled(true)
                .jobOptions(JobOptions.defaults().withWorkerId("worker-old").withExecutor(new InlineExecutor())
                        .withCoordinationClock(clock))
                .build();
        JobRunner olderRunner = older.jobRunner();
        try {
            olderRunner.pollOnce();

            Job untouched = jobs.schedules().job(job.id());
            assertThat(untouched.state()).isEqualTo(JobState.QUEUED);
            assertThat(untouched.attempts()).isZero();
            assertThat(untouched.workerId()).isNull();
            assertThat(untouched.lastError()).isNull();
        } finally {
            olderRunner.close();
        }

        runner.pollOnce();

        assertThat(handled).extracting(Job::id).containsExactly(job.id());
        Job done = jobs.schedules().job(job.id());
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.workerId()).isEqualTo("worker-a");
    }

    @Test
    void aRefreshOfAViewThatDoesNotExistFailsAtOnceInsteadOfUsingUpItsAttempts() {
        jobs.schedules().create(ScheduleSpec.of("ghost", "materialized_view_refresh", "@daily").withMaxAttempts(5)
                .withPayload(Map.of("view_name", "no_such_view")));
        Job job = jobs.schedules().runNow("ghost");

        runner.pollOnce();

        Job after = jobs.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(after.lastError()).contains("materialized view not found in database");
    }

    @Test
    void aConcurrentRefreshOfAnUnpopulatedViewFailsAtOnceWithTheReason() {
        PG.execute("CREATE MATERIALIZED VIEW empty_board AS SELECT id FROM users WITH NO DATA",
                "CREATE UNIQUE INDEX empty_board_id ON empty_board (id)");
        registry().register(QualifiedName.parse("public.empty_board"), dev.ayb.matviews.RefreshMode.CONCURRENT);
        jobs.schedules().create(ScheduleSpec.of("empty", "materialized_view_refresh", "@daily").withMaxAttempts(5)
                .withPayload(Map.of("view_name", "empty_board")));
        Job job = jobs.schedules().runNow("empty");

        runner.pollOnce();

        Job after = jobs.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(after.lastError()).contains("concurrent refresh requires a populated materialized view");
    }

    @Test
    void aRefreshTheRoleMayNotRunFailsAtOnceWithPermissionDenied() {
        registry().register(QualifiedName.parse("public.leaderboard"));
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withMaxAttempts(5)
                .withPayload(LEADERBOARD));
        Job job = jobs.schedules().runNow("s");
        // An instance connecting as a role that may use the library's tables but does not own the view.
        PG.execute("DROP ROLE IF EXISTS ayb_not_owner", "CREATE ROLE ayb_not_owner",
                "GRANT USAGE ON SCHEMA ayb, public TO ayb_not_owner",
                "GRANT SELECT, UPDATE, INSERT, DELETE ON ALL TABLES IN SCHEMA ayb TO ayb_not_owner",
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA ayb TO ayb_not_owner");
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(PG.jdbcUrl());
        config.setUsername(PG.user());
        config.setPassword(PG.password());
        config.setMaximumPoolSize(2);
        config.setConnectionInitSql("SET ROLE ayb_not_owner");
        try (com.zaxxer.hikari.HikariDataSource notOwnerPool = new com.zaxxer.hikari.HikariDataSource(config)) {
            JobRunner notOwner = AybJobs.builder(AybMatviews.builder().dataSource(notOwnerPool).migrate(false).build())
                    .jobsEnabled(true)
                    .jobOptions(JobOptions.defaults().withWorkerId("not-owner").withExecutor(new InlineExecutor())
                            .withCoordinationClock(clock))
                    .build().jobRunner();
            notOwner.pollOnce();
            notOwner.close();
        } finally {
            PG.execute("DROP OWNED BY ayb_not_owner", "DROP ROLE ayb_not_owner");
        }

        Job after = jobs.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(after.workerId()).isEqualTo("not-owner");
        assertThat(after.lastError()).contains("permission denied for materialized view leaderboard");
    }

    @Test
    void aRefreshThatTimesOutWaitingForItsLockIsRetriedWithBackoff() throws Exception {
        registry().register(QualifiedName.parse("public.leaderboard"), dev.ayb.matviews.RefreshMode.STANDARD,
                dev.ayb.matviews.RefreshTimeouts.of(Duration.ofMillis(50), null));
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        Job job = jobs.schedules().runNow("s");
        try (Connection reader = PG.connection(); Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            // A reader's ACCESS SHARE lock, held until rollback: the REFRESH cannot take its exclusive one.
            statement.executeQuery("SELECT 1 FROM leaderboard LIMIT 1").close();

            runner.pollOnce();

            reader.rollback();
        }
        Job after = jobs.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(after.lastError()).contains("canceling statement due to lock timeout");
        assertThat(Duration.between(START, after.runAt())).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
    }

    @Test
    void threeInstancesRacingForEveryTickRunEachTickOnceAndSkipNone() throws Exception {
        Schedule schedule = jobs.schedules().create(ScheduleSpec.of("every_second", "count", "* * * * * *"));
        List<JobRunner> runners = List.of(runner, instance(PG.newDataSource(2, autoCommit), "worker-b").jobRunner(),
                instance(PG.newDataSource(2, autoCommit), "worker-c").jobRunner());
        java.util.concurrent.ExecutorService racers = java.util.concurrent.Executors.newFixedThreadPool(runners.size());
        int ticks = 10;
        try {
            for (int tick = 1; tick <= ticks; tick++) {
                clock.set(START.plusSeconds(tick));
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Instant>> polls = new java.util.ArrayList<>();
                for (JobRunner racer : runners) {
                    polls.add(racers.submit(() -> {
                        go.await();
                        return racer.pollOnce();
                    }));
                }
                go.countDown();
                for (java.util.concurrent.Future<Instant> poll : polls) {
                    poll.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        } finally {
            racers.shutdownNow();
            runners.subList(1, runners.size()).forEach(JobRunner::close);
        }

        List<Instant> expectedTicks = new java.util.ArrayList<>();
        for (int tick = 1; tick <= ticks; tick++) {
            expectedTicks.add(START.plusSeconds(tick));
        }
        assertThat(handled).as("each tick's job handled once, none skipped").extracting(Job::runAt)
                .containsExactlyInAnyOrderElementsOf(expectedTicks);
        assertThat(handled).extracting(Job::id).doesNotHaveDuplicates();
        assertThat(jobs.schedules().jobs(null, null, 100)).hasSize(ticks).allSatisfy(job -> {
            assertThat(job.state()).isEqualTo(JobState.COMPLETED);
            assertThat(job.attempts()).as("claimed once").isEqualTo(1);
            assertThat(job.scheduleId()).isEqualTo(schedule.id());
        });
        Schedule after = jobs.schedules().get("every_second");
        assertThat(after.lastRunAt()).isEqualTo(START.plusSeconds(ticks));
        assertThat(after.nextRunAt()).isEqualTo(START.plusSeconds(ticks + 1));
    }

    @Test
    void finishedJobsOlderThanTheRetentionArePrunedAndRecentOrUnfinishedOnesKept() {
        jobs.schedules().create(ScheduleSpec.of("counter", "count", "@yearly"));
        Map<String, Job> byName = new java.util.LinkedHashMap<>();
        for (String name : List.of("old_completed", "old_failed", "old_canceled", "recent_completed", "old_queued",
                "old_running")) {
            byName.put(name, jobs.schedules().runNow("counter"));
        }
        Instant old = START.minus(JobOptions.DEFAULT_RETENTION).minus(Duration.ofHours(1));
        Instant recent = START.minus(JobOptions.DEFAULT_RETENTION).plus(Duration.ofHours(1));
        setJob(byName.get("old_completed"), "completed", old);
        setJob(byName.get("old_failed"), "failed", old);
        setJob(byName.get("old_canceled"), "canceled", old);
        setJob(byName.get("recent_completed"), "completed", recent);
        // Unfinished jobs untouched for longer than the retention are never pruned; kept out of reach of this runner.
        setJob(byName.get("old_queued"), "queued", old);
        PG.execute("UPDATE ayb.jobs SET run_at = '" + START.plus(Duration.ofDays(365)) + "' WHERE id = '"
                + byName.get("old_queued").id() + "'");
        setJob(byName.get("old_running"), "running", old);
        PG.execute("UPDATE ayb.jobs SET worker_id = 'elsewhere', attempts = 1, lease_until = '"
                + START.plus(Duration.ofDays(365)) + "' WHERE id = '" + byName.get("old_running").id() + "'");

        try (JobRunner started = runner.start()) {
            dev.ayb.matviews.testkit.Await.until("the old finished jobs to be pruned",
                    () -> PG.queryLong("SELECT count(*) FROM ayb.jobs") == 3);
            assertThat(started.isRunning()).isTrue();
        }

        assertThat(jobs.schedules().jobs(null, null, 100)).extracting(Job::id).containsExactlyInAnyOrder(
                byName.get("recent_completed").id(), byName.get("old_queued").id(), byName.get("old_running").id());
        assertThat(handled).isEmpty();
    }

    @Test
    void backoffDoublesFromFiveSecondsUpToFiveMinutes() {
        assertThat(JobRunner.backoff(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(6));
        assertThat(JobRunner.backoff(2)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(12));
        assertThat(JobRunner.backoff(4)).isBetween(Duration.ofSeconds(40), Duration.ofSeconds(48));
        assertThat(JobRunner.backoff(30)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(6));
    }

    @Test
    void claimingSkipsJobsLockedByAnotherWorkerInsteadOfWaiting() throws Exception {
        jobs.schedules().create(ScheduleSpec.of("counter", "count", "@daily"));
        Job locked = jobs.schedules().runNow("counter");
        Job free = jobs.schedules().runNow("counter");

        try (Connection other = PG.connection(); Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.executeQuery("SELECT * FROM ayb.jobs WHERE id = '" + locked.id() + "' FOR UPDATE").close();

            runner.pollOnce();

            assertThat(handled).extracting(Job::id).containsExactly(free.id());
            other.rollback();
        }
        runner.pollOnce();
        assertThat(handled).extracting(Job::id).containsExactly(free.id(), locked.id());
    }

    @Test
    void aJobWhoseWorkerDiedIsRunAgainOnceItsLeaseExpires() {
        jobs.schedules().create(ScheduleSpec.of("counter", "count", "@daily"));
        Job job = jobs.schedules().runNow("counter");
        // A worker claims the job and never reports back.
        claimAs("worker-dead", Duration.ofMinutes(5));

        runner.pollOnce();
        assertThat(handled).isEmpty();

        clock.advance(Duration.ofMinutes(6));
        runner.pollOnce();
        runner.pollOnce();

        assertThat(handled).extracting(Job::id).containsExactly(job.id());
        Job after = jobs.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.COMPLETED);
        assertThat(after.attempts()).isEqualTo(2);
        assertThat(after.workerId()).isEqualTo("worker-a");
    }

    @Test
    void theScheduledRefreshRegistersTheViewAndRefreshesIt() {
        jobs.schedules().create(ScheduleSpec.of("leaderboard_hourly", "materialized_view_refresh", "0 * * * *")
                .withPayload(Map.of("view_name", "leaderboard")));
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        clock.set(Instant.parse("2026-02-22T11:00:00Z"));

        runner.pollOnce();

        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
        assertThat(registry().get("public.leaderboard").lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(registry().history(ViewRef.parse("leaderboard"), 1).get(0).trigger().wireName())
                .isEqualTo("schedule");
        Job job = jobs.schedules().jobs(null, null, 1).get(0);
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.result()).startsWith("refreshed public.leaderboard in ");
    }

    @Test
    void aScheduledRefreshIfChangedSkipsATrackedViewNothingChangedAndRefreshesItOtherwise() {
        registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);
        jobs.schedules().create(ScheduleSpec.of("leaderboard_if_changed", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "leaderboard", "ifChanged", true)));

        jobs.schedules().runNow("leaderboard_if_changed");
        runner.pollOnce();
        assertThat(jobs.schedules().jobs(null, null, 1).get(0).result()).startsWith("refreshed public.leaderboard in ");

        clock.advance(Duration.ofMinutes(1));
        jobs.schedules().runNow("leaderboard_if_changed");
        runner.pollOnce();
        Job skipped = jobs.schedules().jobs(null, null, 1).get(0);
        assertThat(skipped.state()).isEqualTo(JobState.COMPLETED);
        assertThat(skipped.result()).isEqualTo("skipped: no source of the view changed since its last refresh");
        assertThat(registry().history(ViewRef.parse("leaderboard"), 1).get(0).status()).isEqualTo(RefreshStatus.SKIPPED);

        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        clock.advance(Duration.ofMinutes(1));
        jobs.schedules().runNow("leaderboard_if_changed");
        runner.pollOnce();
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
        assertThat(registry().history(ViewRef.parse("leaderboard"), 1).get(0).status()).isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void ifChangedMustBeABooleanAndCannotBeCombinedWithACascade() {
        assertThatThrownBy(() -> jobs.schedules().create(ScheduleSpec.of("bad", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "leaderboard", "ifChanged", "yes"))))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
                    assertThat(e.getMessage()).isEqualTo("payload.ifChanged must be a boolean");
                });
        assertThatThrownBy(() -> jobs.schedules().create(ScheduleSpec.of("bad", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "leaderboard", "ifChanged", true, "cascade", "upstream"))))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
                    assertThat(e.getMessage()).isEqualTo("payload.ifChanged cannot be combined with payload.cascade");
                });
    }

    @Test
    void aScheduledRefreshWithCascadeUpstreamRefreshesWhatTheViewReadsFirst() {
        PG.execute("CREATE MATERIALIZED VIEW totals AS SELECT sum(total_minutes) AS minutes FROM leaderboard");
        jobs.schedules().create(ScheduleSpec.of("totals", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "totals", "cascade", "upstream")));
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 1000)");
        jobs.schedules().runNow("totals");

        runner.pollOnce();

        assertThat(PG.queryLong("SELECT minutes FROM totals")).isEqualTo(1095);
        Job job = jobs.schedules().jobs(null, null, 1).get(0);
        assertThat(job.result()).startsWith("refreshed 2 views (cascade upstream)");
        assertThat(registry().get("public.leaderboard").lastRefreshStatus()).isEqualTo(RefreshStatus.SUCCESS);
    }

    @Test
    void aScheduledRefreshThatFindsAnotherRunningIsSkippedNotRetried() throws Exception {
        registry().register(QualifiedName.parse("public.leaderboard"));
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        Job job = jobs.schedules().runNow("s");
        try (Connection outside = PG.connection(); Statement statement = outside.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + AybMatviews.DEFAULT_LOCK_NAMESPACE
                    + ", 'public.leaderboard'::regclass::oid::int8::int4)");

            runner.pollOnce();

            statement.execute("SELECT pg_advisory_unlock_all()");
        }
        Job after = jobs.schedules().job(job.id());
        assertThat(after.state()).isEqualTo(JobState.COMPLETED);
        assertThat(after.result()).isEqualTo("skipped: refresh already in progress");
        assertThat(after.attempts()).isEqualTo(1);
        assertThat(registry().get("public.leaderboard").lastRefreshStatus()).isNull();
    }

    @Test
    void aDatabaseErrorIsPropagatedWithoutRegistering() {
        // An instance whose library tables are gone: the lookup fails, which must not look like "not registered".
        AybMatviews broken = AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).schema("dropped_schema")
                .build();
        PG.execute("DROP SCHEMA dropped_schema CASCADE");
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        Job job = jobs.schedules().runNow("s");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new dev.ayb.matviews.jobs.internal
                        .MatviewRefreshJobHandler(broken.registry(), broken.refreshes()).handle(job))
                .isInstanceOfSatisfying(dev.ayb.matviews.MatviewException.class,
                        e -> assertThat(e.code()).isEqualTo(dev.ayb.matviews.ErrorCode.DATABASE_ERROR));
        assertThat(registry().list()).isEmpty();
    }

    @Test
    void twoWorkersAutoRegisteringTheSameViewEndWithOneRegistration() throws Exception {
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        Job job = jobs.schedules().runNow("s");
        AybJobs other = instance(PG.newDataSource(2, autoCommit), "worker-b");
        var handlerA = new dev.ayb.matviews.jobs.internal.MatviewRefreshJobHandler(registry(),
                jobs.matviews().refreshes());
        var handlerB = new dev.ayb.matviews.jobs.internal.MatviewRefreshJobHandler(other.matviews().registry(),
                other.matviews().refreshes());

        var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(handlerA, job));
        var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(handlerB, job));

        assertThat(List.of(a.get(), b.get())).allSatisfy(result -> assertThat(result).isNotNull());
        assertThat(registry().list()).hasSize(1);
    }

    private JobResult call(JobHandler handler, Job job) {
        try {
            return handler.handle(job);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setJob(Job job, String state, Instant updatedAt) {
        PG.execute("UPDATE ayb.jobs SET state = '" + state + "', updated_at = '" + updatedAt + "' WHERE id = '"
                + job.id() + "'");
    }

    private void claimAs(String workerId, Duration lease) {
        PG.execute("UPDATE ayb.jobs SET state = 'running', attempts = attempts + 1, worker_id = '" + workerId + "',"
                + " lease_until = '" + clock.instant().plus(lease) + "'");
    }

    private AybJobs instance(DataSource dataSource, String workerId) {
        JobHandler counting = JobHandler.of("count", job -> {
            handled.add(job);
            if (failuresToThrow.getAndDecrement() > 0) {
                throw new IllegalStateException("boom " + job.attempts());
            }
            return JobResult.done();
        });
        return AybJobs.builder(AybMatviews.builder().dataSource(dataSource).clock(clock).build())
                .jobsEnabled(true).jobHandler(counting)
                .jobOptions(JobOptions.defaults().withWorkerId(workerId).withExecutor(new InlineExecutor())
                        .withCoordinationClock(clock))
                .build();
    }

    /** The registry of the instance the scheduler under test was built from. */
    private dev.ayb.matviews.MatviewRegistry registry() {
        return jobs.matviews().registry();
    }
}
