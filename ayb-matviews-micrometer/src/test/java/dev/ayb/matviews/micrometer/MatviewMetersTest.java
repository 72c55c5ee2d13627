package dev.ayb.matviews.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.testkit.BlockedRefresh;
import dev.ayb.matviews.testkit.FailedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.SettableClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.tck.MeterRegistryAssert;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters' figures after real refreshes, failures and rejections on PostgreSQL, read from a registry. */
class MatviewMetersTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RefreshMetrics refreshMetrics = new RefreshMetrics();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private AybMatviews matviews;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        matviews = AybMatviews.builder().dataSource(PG.dataSource()).clock(clock).listener(refreshMetrics).build();
        refreshMetrics.bindTo(meters);
        matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT,
                RefreshTimeouts.NONE, true);
    }

    @Test
    void everyRefreshIsTimedByViewModeTriggerAndOutcome() {
        matviews.refreshes().refresh("public.leaderboard");
        matviews.refreshes().refresh("public.leaderboard", RefreshMode.STANDARD);
        matviews.refreshes().refresh("public.leaderboard", true);
        FailedRefresh.run(PG, matviews.registry(), matviews.refreshes(), "public.leaderboard", "public.workouts");

        assertThat(timer("concurrent", "success").count()).isEqualTo(1);
        assertThat(timer("standard", "success").count()).isEqualTo(1);
        assertThat(timer("concurrent", "skipped").count()).isEqualTo(1);
        assertThat(timer("concurrent", "error").count()).isEqualTo(1);
        assertThat(timer("concurrent", "success").totalTime(TimeUnit.NANOSECONDS))
                .isEqualTo(Duration.ofMillis(matviews.registry().history("public.leaderboard", 10).stream()
                        .filter(run -> run.refreshMode() == RefreshMode.CONCURRENT
                                && run.status() == RefreshStatus.SUCCESS)
                        .findFirst().orElseThrow().durationMs()).toNanos());
    }

    @Test
    void aRefreshTurnedAwayByTheLockIsCountedAndNotTimed() throws Exception {
        try (BlockedRefresh<?> held = BlockedRefresh.start(PG, "workouts",
                () -> matviews.refreshes().refresh("public.leaderboard"))) {
            assertThatThrownBy(() -> matviews.refreshes().refresh("public.leaderboard"))
                    .isInstanceOfSatisfying(MatviewException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_IN_PROGRESS));
            held.release();
            held.result();
        }

        assertThat(meters.get("ayb.matviews.refresh.rejected").tag("view", "public.leaderboard")
                .tag("trigger", "manual").counter().count()).isEqualTo(1);
        assertThat(meters.get("ayb.matviews.refresh").timers()).singleElement()
                .satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
    }

    @Test
    void viewGaugesShowDataAgeAndLagAndFollowTheRegistrations() {
        new ViewMetrics(matviews, Duration.ZERO).bindTo(meters);
        assertThat(gauge("ayb.matviews.views", null)).isEqualTo(1);
        assertThat(gauge("ayb.matviews.view.data.age", "public.leaderboard")).isNaN();

        matviews.refreshes().refresh("public.leaderboard");
        clock.advance(Duration.ofSeconds(90));
        assertThat(gauge("ayb.matviews.view.data.age", "public.leaderboard")).isCloseTo(90, within(1.0));
        assertThat(gauge("ayb.matviews.view.lag", "public.leaderboard")).isZero();

        PG.execute("INSERT INTO users (id, name) VALUES (9001, 'late')");
        Instant behindSince = matviews.freshness().of("public.leaderboard").behindSince();
        clock.set(behindSince.plusSeconds(30));
        assertThat(gauge("ayb.matviews.view.lag", "public.leaderboard")).isCloseTo(30, within(1.0));

        SampleSchema.createViewWithoutIndex(PG, "user_names");
        matviews.registry().register(QualifiedName.parse("public.user_names"));
        assertThat(gauge("ayb.matviews.views", null)).isEqualTo(2);
        assertThat(gauge("ayb.matviews.view.lag", "public.user_names")).as("untracked").isNaN();

        assertThat(gauge("ayb.matviews.view.target.lag", "public.leaderboard")).as("no target").isNaN();
        matviews.registry().updateTargetLag("public.leaderboard", Duration.ofSeconds(45));
        assertThat(gauge("ayb.matviews.view.target.lag", "public.leaderboard")).isEqualTo(45);

        matviews.registry().unregister("public.leaderboard");
        assertThat(gauge("ayb.matviews.views", null)).isEqualTo(1);
        MeterRegistryAssert.assertThat(meters)
                .doesNotHaveMeterWithNameAndTags("ayb.matviews.view.data.age",
                        Tags.of("view", "public.leaderboard"))
                .doesNotHaveMeterWithNameAndTags("ayb.matviews.refresh",
                        Tags.of("view", "public.leaderboard"))
                .hasMeterWithNameAndTags("ayb.matviews.view.data.age",
                        Tags.of("view", "public.user_names"));
    }

    @Test
    void jobGaugesCountTheQueueByState() {
        AybJobs jobs = AybJobs.builder(matviews).build();
        new JobQueueMetrics(jobs, Duration.ZERO).bindTo(meters);
        jobs.schedules().create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "leaderboard")));
        jobs.schedules().runNow("s");
        jobs.schedules().cancelJob(jobs.schedules().runNow("s").id());

        assertThat(meters.get("ayb.matviews.jobs").tag("state", "queued").gauge().value()).isEqualTo(1);
        assertThat(meters.get("ayb.matviews.jobs").tag("state", "canceled").gauge().value()).isEqualTo(1);
        assertThat(meters.get("ayb.matviews.jobs").tag("state", "failed").gauge().value()).isZero();
        assertThat(meters.get("ayb.matviews.jobs").gauges()).hasSize(5);
    }

    @Test
    void failedJobAttemptsAreCountedByTypeAndOutcome() {
        JobMetrics jobMetrics = new JobMetrics();
        jobMetrics.bindTo(meters);
        AybJobs jobs = AybJobs.builder(matviews).listener(jobMetrics)
                .jobHandler(JobHandler.of("boom", job -> {
                    throw new IllegalStateException("no luck");
                }))
                .build();
        jobs.schedules().create(ScheduleSpec.of("retried", "boom", "@daily"));
        jobs.schedules().create(ScheduleSpec.of("once", "boom", "@daily").withMaxAttempts(1));
        jobs.schedules().runNow("retried");
        jobs.schedules().runNow("once");

        jobs.pollOnce();

        assertThat(meters.get("ayb.matviews.jobs.failures").tag("type", "boom").tag("outcome", "retry_scheduled")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get("ayb.matviews.jobs.failures").tag("type", "boom").tag("outcome", "failed")
                .counter().count()).isEqualTo(1);
    }

    private Timer timer(String mode, String outcome) {
        return meters.get("ayb.matviews.refresh").tag("view", "public.leaderboard").tag("mode", mode)
                .tag("trigger", "manual").tag("outcome", outcome).timer();
    }

    private double gauge(String name, String view) {
        return (view == null ? meters.get(name) : meters.get(name).tag("view", view)).gauge().value();
    }
}
