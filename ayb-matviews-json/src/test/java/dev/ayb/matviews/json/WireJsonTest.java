package dev.ayb.matviews.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The wire format of registrations, runs, refresh results, schedules, jobs and cron previews. */
class WireJsonTest {
    private static final UUID ID = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final UUID SCHEDULE_ID = UUID.fromString("6f1c2a3b-0000-4000-8000-000000000001");
    private static final UUID JOB_ID = UUID.fromString("6f1c2a3b-0000-4000-8000-000000000002");
    private static final Instant CREATED = Instant.parse("2026-02-22T08:00:00Z");
    private static final Instant REFRESHED = Instant.parse("2026-02-22T10:00:00Z");
    private static final Instant NEXT = Instant.parse("2026-02-22T09:00:00Z");
    private static final Map<String, Object> PAYLOAD = Map.of("view_name", "leaderboard");
    /** Compact output, as the HTTP API writes it: reading options make no difference to writing. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String text(JsonNode json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    @Test
    void aNeverRefreshedRegistrationWritesEverySeedFieldInOrderWithNulls() {
        Registration registration = new Registration(ID, "public", "leaderboard", RefreshMode.STANDARD,
                RefreshTimeouts.NONE, false, null, null, null, null, null, CREATED, CREATED);

        assertThat(text(WireJson.registration(registration, Freshness.UNTRACKED)))
                .isEqualTo("{\"id\":\"550e8400-e29b-41d4-a716-446655440000\","
                + "\"schemaName\":\"public\",\"viewName\":\"leaderboard\",\"refreshMode\":\"standard\","
                + "\"lastRefreshAt\":null,\"lastRefreshDurationMs\":null,\"lastRefreshStatus\":null,"
                + "\"lastRefreshError\":null,\"createdAt\":\"2026-02-22T08:00:00Z\",\"updatedAt\":\"2026-02-22T08:00:00Z\","
                + "\"lastSuccessAt\":null,\"changeTracking\":false,\"targetLagMs\":null,\"freshness\":{\"state\":\"unknown\",\"behindSince\":null,\"reason\":\"change tracking is off\","
                + "\"lagMs\":null,\"nextRefreshAt\":null}}");
    }

    @Test
    void aRefreshResultMatchesTheSeedsExampleResponse() {
        Registration registration = new Registration(ID, "public", "leaderboard", RefreshMode.STANDARD,
                RefreshTimeouts.NONE, false, REFRESHED, 342L, RefreshStatus.SUCCESS, null,
                REFRESHED.minusMillis(342), CREATED, REFRESHED);

        assertThat(text(WireJson.refreshResult(new RefreshResult(registration, 342), Freshness.UNTRACKED)))
                .isEqualTo("{\"registration\":{"
                + "\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"schemaName\":\"public\",\"viewName\":\"leaderboard\","
                + "\"refreshMode\":\"standard\",\"lastRefreshAt\":\"2026-02-22T10:00:00Z\",\"lastRefreshDurationMs\":342,"
                + "\"lastRefreshStatus\":\"success\",\"lastRefreshError\":null,\"createdAt\":\"2026-02-22T08:00:00Z\","
                + "\"updatedAt\":\"2026-02-22T10:00:00Z\",\"lastSuccessAt\":\"2026-02-22T09:59:59.658Z\",\"changeTracking\":false,"
                + "\"targetLagMs\":null,\"freshness\":{\"state\":\"unknown\",\"behindSince\":null,\"reason\":\"change tracking is off\","
                + "\"lagMs\":null,\"nextRefreshAt\":null}},\"durationMs\":342}");
    }

    @Test
    void perViewTimeoutsAreWrittenOnlyWhenSet() {
        Registration onlyLock = new Registration(ID, "public", "leaderboard", RefreshMode.CONCURRENT,
                new RefreshTimeouts(Duration.ofSeconds(2), null), false, null, null, null, null, null, CREATED, CREATED);

        assertThat(text(WireJson.registration(onlyLock, Freshness.UNTRACKED)))
                .contains("\"updatedAt\":\"2026-02-22T08:00:00Z\",\"lockTimeoutMs\":2000,"
                        + "\"lastSuccessAt\":null,\"changeTracking\":false,")
                .doesNotContain("statementTimeoutMs");
    }

    @Test
    void theDataAgeTheTrackingFlagAndTheFreshnessComeAfterEveryOtherField() {
        Registration failedSinceItsLastSuccess = new Registration(ID, "public", "leaderboard", RefreshMode.CONCURRENT,
                new RefreshTimeouts(null, Duration.ofSeconds(30)), true, REFRESHED, 12L, RefreshStatus.ERROR, "boom",
                NEXT, CREATED, REFRESHED);

        assertThat(text(WireJson.registration(failedSinceItsLastSuccess, Freshness.changedSince(REFRESHED))))
                .contains("\"lastRefreshStatus\":\"error\",\"lastRefreshError\":\"boom\"")
                .endsWith("\"statementTimeoutMs\":30000,\"lastSuccessAt\":\"2026-02-22T09:00:00Z\",\"changeTracking\":true,"
                        + "\"targetLagMs\":null,\"freshness\":{\"state\":\"behind\",\"behindSince\":\"2026-02-22T10:00:00Z\",\"reason\":null,"
                        + "\"lagMs\":null,\"nextRefreshAt\":null}}");
    }

    @Test
    void freshnessWritesItsStateWithTheTimeOfTheFirstUnseenChangeOrTheReason() {
        assertThat(text(WireJson.freshness(Freshness.current())))
                .isEqualTo("{\"state\":\"current\",\"behindSince\":null,\"reason\":null,\"lagMs\":0,"
                        + "\"nextRefreshAt\":null}");
        assertThat(text(WireJson.freshness(Freshness.alwaysBehind("reads foreign table public.remote_orders"))))
                .isEqualTo("{\"state\":\"behind\",\"behindSince\":null,"
                        + "\"reason\":\"reads foreign table public.remote_orders\",\"lagMs\":null,\"nextRefreshAt\":null}");
    }

    @Test
    void aTargetLagIsWrittenWithTheLagAndThePlannedRefresh() {
        Registration targeted = new Registration(ID, "public", "leaderboard", RefreshMode.STANDARD,
                RefreshTimeouts.NONE, true, REFRESHED, 12L, RefreshStatus.SUCCESS, null, REFRESHED, CREATED, REFRESHED,
                5_000L, REFRESHED.plusMillis(4_000));
        Freshness behind = Freshness.changedSince(REFRESHED).at(targeted, REFRESHED.plusMillis(1_500));

        assertThat(text(WireJson.registration(targeted, behind)))
                .endsWith("\"changeTracking\":true,\"targetLagMs\":5000,\"freshness\":{\"state\":\"behind\","
                        + "\"behindSince\":\"2026-02-22T10:00:00Z\",\"reason\":null,\"lagMs\":1500,"
                        + "\"nextRefreshAt\":\"2026-02-22T10:00:04Z\"}}");
    }

    @Test
    void anIfChangedRefreshAddsWhetherItWasSkippedAndWhy() {
        Registration registration = new Registration(ID, "public", "leaderboard", RefreshMode.STANDARD,
                RefreshTimeouts.NONE, true, REFRESHED, 342L, RefreshStatus.SUCCESS, null, REFRESHED, CREATED, REFRESHED);

        assertThat(text(WireJson.ifChangedResult(new RefreshResult(registration, 3, true, "nothing changed"),
                Freshness.current())))
                .endsWith("\"freshness\":{\"state\":\"current\",\"behindSince\":null,\"reason\":null,\"lagMs\":0,"
                        + "\"nextRefreshAt\":null}},"
                        + "\"durationMs\":3,\"skipped\":true,\"reason\":\"nothing changed\"}");
        assertThat(text(WireJson.ifChangedResult(new RefreshResult(registration, 342), Freshness.current())))
                .endsWith("\"durationMs\":342,\"skipped\":false,\"reason\":null}");
    }

    @Test
    void aRefreshEventWritesTheIssuesFieldsInOrder() {
        RefreshEvent event = RefreshEvent.refresh(7, QualifiedName.parse("public.leaderboard"), RefreshStatus.SKIPPED,
                REFRESHED, CREATED, 2);

        assertThat(text(WireJson.refreshEvent(event))).isEqualTo("{\"schemaName\":\"public\",\"viewName\":"
                + "\"leaderboard\",\"status\":\"skipped\",\"lastRefreshAt\":\"2026-02-22T10:00:00Z\","
                + "\"lastSuccessAt\":\"2026-02-22T08:00:00Z\",\"durationMs\":2,\"skipped\":true}");
    }

    @Test
    void aBehindEventSaysSinceWhen() {
        RefreshEvent event = RefreshEvent.behind(7, QualifiedName.parse("public.leaderboard"), null, null, NEXT);

        assertThat(text(WireJson.refreshEvent(event))).isEqualTo("{\"schemaName\":\"public\",\"viewName\":"
                + "\"leaderboard\",\"lastRefreshAt\":null,\"lastSuccessAt\":null,"
                + "\"behindSince\":\"2026-02-22T09:00:00Z\"}");
    }

    @Test
    void aSourceTableWritesItsNameAndTrackingState() {
        assertThat(text(WireJson.sourceTable(new SourceTable("public", "scores_2026", true, false))))
                .isEqualTo("{\"schemaName\":\"public\",\"tableName\":\"scores_2026\",\"partition\":true,"
                        + "\"triggerInstalled\":false,\"capture\":\"none\"}");
        assertThat(text(WireJson.sourceTable(new SourceTable("public", "scores", false, false, "wal"))))
                .isEqualTo("{\"schemaName\":\"public\",\"tableName\":\"scores\",\"partition\":false,"
                        + "\"triggerInstalled\":false,\"capture\":\"wal\"}");
    }

    @Test
    void aRunWritesItsFieldsInOrder() {
        RefreshRun run = new RefreshRun(7, ID, "public", "leaderboard", RefreshMode.CONCURRENT, RefreshTrigger.HTTP,
                CREATED, REFRESHED, 12, RefreshStatus.ERROR, "refresh of public.leaderboard failed: boom", "XX000");

        assertThat(text(WireJson.refreshRun(run))).isEqualTo("{\"id\":7,\"registrationId\":\"" + ID + "\","
                + "\"schemaName\":\"public\",\"viewName\":\"leaderboard\",\"refreshMode\":\"concurrent\",\"trigger\":\"http\","
                + "\"startedAt\":\"2026-02-22T08:00:00Z\",\"finishedAt\":\"2026-02-22T10:00:00Z\",\"durationMs\":12,"
                + "\"status\":\"error\",\"error\":\"refresh of public.leaderboard failed: boom\",\"sqlState\":\"XX000\"}");
    }

    @Test
    void aScheduleWritesTheOriginalsFieldsInOrderWithNulls() {
        Schedule schedule = new Schedule(SCHEDULE_ID, "leaderboard_hourly", "materialized_view_refresh", PAYLOAD,
                "0 * * * *", "UTC", true, 3, NEXT, null, CREATED, CREATED);

        assertThat(text(WireJson.schedule(schedule))).isEqualTo("{\"id\":\"" + SCHEDULE_ID + "\","
                + "\"name\":\"leaderboard_hourly\",\"jobType\":\"materialized_view_refresh\","
                + "\"payload\":{\"view_name\":\"leaderboard\"},\"cronExpr\":\"0 * * * *\",\"timezone\":\"UTC\","
                + "\"enabled\":true,\"maxAttempts\":3,\"nextRunAt\":\"2026-02-22T09:00:00Z\",\"lastRunAt\":null,"
                + "\"createdAt\":\"2026-02-22T08:00:00Z\",\"updatedAt\":\"2026-02-22T08:00:00Z\"}");
    }

    @Test
    void aJobWritesTheOriginalsFieldsInOrderThenItsResult() {
        Job job = new Job(JOB_ID, "materialized_view_refresh", PAYLOAD, JobState.COMPLETED, NEXT, null, "instance-1",
                1, 3, null, "skipped: refresh already in progress", NEXT, SCHEDULE_ID, NEXT, NEXT, NEXT, null);

        assertThat(text(WireJson.job(job))).isEqualTo("{\"id\":\"" + JOB_ID + "\",\"type\":\"materialized_view_refresh\","
                + "\"payload\":{\"view_name\":\"leaderboard\"},\"state\":\"completed\","
                + "\"runAt\":\"2026-02-22T09:00:00Z\",\"leaseUntil\":null,\"workerId\":\"instance-1\",\"attempts\":1,"
                + "\"maxAttempts\":3,\"lastError\":null,\"lastRunAt\":\"2026-02-22T09:00:00Z\","
                + "\"scheduleId\":\"" + SCHEDULE_ID + "\",\"createdAt\":\"2026-02-22T09:00:00Z\","
                + "\"updatedAt\":\"2026-02-22T09:00:00Z\",\"completedAt\":\"2026-02-22T09:00:00Z\",\"canceledAt\":null,"
                + "\"result\":\"skipped: refresh already in progress\"}");
    }

    @Test
    void aJobEnqueuedWithoutAScheduleHasANullScheduleId() {
        Job job = new Job(JOB_ID, "materialized_view_refresh", Map.of(), JobState.QUEUED, NEXT, null, null, 0, 3,
                null, null, null, null, NEXT, NEXT, null, null);

        assertThat(WireJson.job(job).get("scheduleId").isNull()).isTrue();
        assertThat(text(WireJson.job(job).get("payload"))).isEqualTo("{}");
    }

    @Test
    void aCronPreviewListsTheRunsAsUtcTimes() {
        assertThat(text(WireJson.cronPreview("0 9 * * *", "Europe/Paris", List.of(Instant.parse("2026-02-23T08:00:00Z"),
                Instant.parse("2026-02-24T08:00:00Z"))))).isEqualTo("{\"cronExpr\":\"0 9 * * *\","
                + "\"timezone\":\"Europe/Paris\",\"nextRuns\":[\"2026-02-23T08:00:00Z\",\"2026-02-24T08:00:00Z\"]}");
    }
}
