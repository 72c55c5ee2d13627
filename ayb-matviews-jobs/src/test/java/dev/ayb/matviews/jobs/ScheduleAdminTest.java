package dev.ayb.matviews.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class ScheduleAdminTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** The suite runs over pools with either setting; false is the Spring/JPA default. */
    @Parameter
    boolean autoCommit;

    private static final Instant NOW = Instant.parse("2026-02-22T10:15:00Z");
    private static final Map<String, Object> LEADERBOARD = Map.of("schema", "public", "view_name", "leaderboard");

    private ScheduleAdmin admin;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        Clock fixed = Clock.fixed(NOW, ZoneOffset.UTC);
        admin = AybJobs.builder(AybMatviews.builder().dataSource(PG.dataSource(autoCommit)).clock(fixed).build())
                .jobOptions(JobOptions.defaults().withCoordinationClock(fixed)).build().schedules();
    }

    @Test
    void theSeedsScheduleIsCreatedWithItsNextRunInUtc() {
        Schedule created = admin.create(ScheduleSpec.of("leaderboard_hourly", "materialized_view_refresh", "0 * * * *")
                .withTimezone("UTC").withPayload(LEADERBOARD).withEnabled(true));

        assertThat(created.name()).isEqualTo("leaderboard_hourly");
        assertThat(created.jobType()).isEqualTo("materialized_view_refresh");
        assertThat(created.payload()).isEqualTo(LEADERBOARD);
        assertThat(created.timezone()).isEqualTo("UTC");
        assertThat(created.enabled()).isTrue();
        assertThat(created.maxAttempts()).isEqualTo(3);
        assertThat(created.nextRunAt()).isEqualTo(Instant.parse("2026-02-22T11:00:00Z"));
        assertThat(created.lastRunAt()).isNull();
        assertThat(created.createdAt()).isEqualTo(NOW);
        assertThat(admin.get(created.id().toString())).isEqualTo(created);
        assertThat(admin.get("leaderboard_hourly")).isEqualTo(created);
    }

    @Test
    void defaultsAreUtcEnabledAndThreeAttempts() {
        Schedule created = admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "leaderboard")));
        assertThat(created.timezone()).isEqualTo("UTC");
        assertThat(created.enabled()).isTrue();
        assertThat(created.maxAttempts()).isEqualTo(3);
    }

    @Test
    void everyRequiredFieldIsNamedWhenMissing() {
        assertCode(() -> admin.create(ScheduleSpec.of(null, "materialized_view_refresh", "@daily")),
                ErrorCode.SCHEDULE_NAME_REQUIRED, "name is required");
        assertCode(() -> admin.create(ScheduleSpec.of(" ", "materialized_view_refresh", "@daily")),
                ErrorCode.SCHEDULE_NAME_REQUIRED, "name is required");
        assertCode(() -> admin.create(ScheduleSpec.of("s", null, "@daily")),
                ErrorCode.JOB_TYPE_REQUIRED, "jobType is required");
        assertCode(() -> admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "")),
                ErrorCode.CRON_REQUIRED, "cronExpr is required");
    }

    @Test
    void namesAndJobTypesAreAtMostOneHundredCharacters() {
        assertCode(() -> admin.create(ScheduleSpec.of("n".repeat(101), "materialized_view_refresh", "@daily")
                .withPayload(LEADERBOARD)), ErrorCode.SCHEDULE_NAME_TOO_LONG, "name must be at most 100 characters");
        assertCode(() -> admin.create(ScheduleSpec.of("s", "t".repeat(101), "@daily")),
                ErrorCode.JOB_TYPE_TOO_LONG, "jobType must be at most 100 characters");
        assertThat(admin.create(ScheduleSpec.of("n".repeat(100), "materialized_view_refresh", "@daily")
                .withPayload(LEADERBOARD)).name()).hasSize(100);
    }

    @Test
    void badCronAndZoneAreRefused() {
        assertCode(() -> admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "every hour")
                .withPayload(LEADERBOARD)), ErrorCode.INVALID_CRON, "invalid cron expression");
        assertCode(() -> admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily")
                .withTimezone("Nowhere/Atlantis").withPayload(LEADERBOARD)), ErrorCode.INVALID_TIMEZONE, "invalid timezone");
    }

    @Test
    void anUnknownJobTypeIsRefusedWhenTheScheduleIsCreated() {
        assertThatThrownBy(() -> admin.create(ScheduleSpec.of("s", "send_newsletter", "@daily")))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_JOB_TYPE);
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("send_newsletter").contains("materialized_view_refresh");
                });
    }

    @Test
    void aRefreshScheduleWithoutViewNameIsRefusedNamingTheField() {
        assertThatThrownBy(() -> admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("schema", "public"))))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("view_name");
                });
        assertCode(() -> admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "bad-name"))), ErrorCode.INVALID_IDENTIFIER, null);
    }

    @Test
    void aCascadeInThePayloadMustBeOneOfTheFourModes() {
        assertCode(() -> admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily")
                        .withPayload(Map.of("view_name", "leaderboard", "cascade", "sideways"))),
                ErrorCode.INVALID_ARGUMENT, "cascade must be one of none, upstream, downstream, both");
        assertThat(admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily")
                .withPayload(Map.of("view_name", "leaderboard", "cascade", "both"))).payload())
                .containsEntry("cascade", "both");
    }

    @Test
    void aDuplicateNameIsAConflictNotAServerError() {
        admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        assertThatThrownBy(() -> admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@hourly")
                .withPayload(LEADERBOARD)))
                .isInstanceOfSatisfying(MatviewException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
    }

    @Test
    void disableClearsTheNextRunAndEnableComputesItFromNow() {
        admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "0 * * * *").withPayload(LEADERBOARD));

        Schedule disabled = admin.disable("s");
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.nextRunAt()).isNull();
        assertThat(disabled.cronExpr()).isEqualTo("0 * * * *");

        Schedule enabled = admin.enable("s");
        assertThat(enabled.enabled()).isTrue();
        assertThat(enabled.nextRunAt()).isEqualTo(Instant.parse("2026-02-22T11:00:00Z"));
    }

    @Test
    void updateChangesOnlyTheGivenFieldsAndRevalidates() {
        Schedule created = admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "0 * * * *")
                .withPayload(LEADERBOARD));

        Schedule updated = admin.update(created.id().toString(), ScheduleSpec.unchanged().withCronExpr("*/15 * * * *")
                .withMaxAttempts(5));

        assertThat(updated.cronExpr()).isEqualTo("*/15 * * * *");
        assertThat(updated.maxAttempts()).isEqualTo(5);
        assertThat(updated.nextRunAt()).isEqualTo(Instant.parse("2026-02-22T10:30:00Z"));
        assertThat(updated.payload()).isEqualTo(LEADERBOARD);
        assertCode(() -> admin.update("s", ScheduleSpec.unchanged().withCronExpr("nope")), ErrorCode.INVALID_CRON,
                "invalid cron expression");
    }

    @Test
    void aRenameKeepsTheNextRunAndABlankZoneMeansUtc() {
        Schedule created = admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "0 * * * *")
                .withTimezone("Europe/Berlin").withPayload(LEADERBOARD));

        Schedule renamed = admin.update("s", ScheduleSpec.unchanged().withName("renamed"));
        assertThat(renamed.nextRunAt()).isEqualTo(created.nextRunAt());

        assertThat(admin.update("renamed", ScheduleSpec.unchanged().withTimezone(" ")).timezone()).isEqualTo("UTC");
    }

    @Test
    void runNowEnqueuesOneJobWithoutTouchingTheSchedule() {
        Schedule created = admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "0 * * * *")
                .withPayload(LEADERBOARD));

        Job job = admin.runNow("s");

        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.scheduleId()).isEqualTo(created.id());
        assertThat(job.payload()).isEqualTo(LEADERBOARD);
        assertThat(job.runAt()).isEqualTo(NOW);
        assertThat(admin.get("s")).isEqualTo(created);
        assertThat(admin.jobs(null, null, 10)).containsExactly(job);
    }

    @Test
    void unknownSchedulesAndJobsAreNotFound() {
        assertCode(() -> admin.get("nothing"), ErrorCode.SCHEDULE_NOT_FOUND, "schedule not found");
        assertCode(() -> admin.get(UUID.randomUUID().toString()), ErrorCode.SCHEDULE_NOT_FOUND, "schedule not found");
        assertCode(() -> admin.delete("nothing"), ErrorCode.SCHEDULE_NOT_FOUND, "schedule not found");
        assertCode(() -> admin.runNow("nothing"), ErrorCode.SCHEDULE_NOT_FOUND, "schedule not found");
        assertCode(() -> admin.job(UUID.randomUUID()), ErrorCode.JOB_NOT_FOUND, "job not found");
    }

    @Test
    void deletingAScheduleKeepsItsJobs() {
        admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        Job job = admin.runNow("s");

        admin.delete("s");

        assertThat(admin.list()).isEmpty();
        assertThat(admin.job(job.id()).scheduleId()).isNull();
    }

    @Test
    void jobCountsNameEveryStateWithZeroForTheEmptyOnes() {
        assertThat(admin.jobCounts()).containsOnlyKeys(JobState.values())
                .allSatisfy((state, n) -> assertThat(n).isZero());
        admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        admin.runNow("s");
        admin.cancelJob(admin.runNow("s").id());

        assertThat(admin.jobCounts()).containsEntry(JobState.QUEUED, 1L).containsEntry(JobState.CANCELED, 1L)
                .containsEntry(JobState.RUNNING, 0L).containsEntry(JobState.FAILED, 0L);
    }

    @Test
    void onlyQueuedJobsCanBeCanceledAndOnlyFinishedOnesRetried() {
        admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        Job job = admin.runNow("s");

        assertCode(() -> admin.retryJob(job.id()), ErrorCode.INVALID_JOB_STATE, null);
        Job canceled = admin.cancelJob(job.id());
        assertThat(canceled.state()).isEqualTo(JobState.CANCELED);
        assertThat(canceled.canceledAt()).isEqualTo(NOW);
        assertCode(() -> admin.cancelJob(job.id()), ErrorCode.INVALID_JOB_STATE, null);

        Job retried = admin.retryJob(job.id());
        assertThat(retried.state()).isEqualTo(JobState.QUEUED);
        assertThat(retried.attempts()).isZero();
    }

    @Test
    void jobsAreListedNewestFirstAndFilteredByStateAndType() {
        admin.create(ScheduleSpec.of("s", "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        Job first = admin.runNow("s");
        Job second = admin.runNow("s");
        admin.cancelJob(first.id());

        assertThat(admin.jobs(JobState.QUEUED, null, 10)).extracting(Job::id).containsExactly(second.id());
        assertThat(admin.jobs(JobState.CANCELED, "materialized_view_refresh", 10)).extracting(Job::id)
                .containsExactly(first.id());
        assertThat(admin.jobs(null, "other", 10)).isEmpty();
        assertCode(() -> admin.jobs(null, null, 0), ErrorCode.INVALID_ARGUMENT, null);
    }

    @Test
    void previewShowsTheNextRunsInTheChosenZone() {
        List<Instant> runs = admin.preview("0 9 * * *", "Europe/Berlin", 2);
        assertThat(runs).containsExactly(Instant.parse("2026-02-23T08:00:00Z"), Instant.parse("2026-02-24T08:00:00Z"));
    }

    @Test
    void listIsOrderedByName() {
        for (String name : List.of("b", "a", "c")) {
            admin.create(ScheduleSpec.of(name, "materialized_view_refresh", "@daily").withPayload(LEADERBOARD));
        }
        assertThat(admin.list()).extracting(Schedule::name).containsExactly("a", "b", "c");
        assertThat(PG.queryLong("SELECT count(*) FROM ayb.job_schedules")).isEqualTo(3);
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (message != null) {
                assertThat(e.getMessage()).isEqualTo(message);
            }
        });
    }
}
