package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.json.WireJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.Schedule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The schedule, job and cron-preview wire format. */
class ScheduleJsonTest {
    private static final UUID SCHEDULE_ID = UUID.fromString("6f1c2a3b-0000-4000-8000-000000000001");
    private static final UUID JOB_ID = UUID.fromString("6f1c2a3b-0000-4000-8000-000000000002");
    private static final Instant CREATED = Instant.parse("2026-02-22T08:00:00Z");
    private static final Instant NEXT = Instant.parse("2026-02-22T09:00:00Z");
    private static final Map<String, Object> PAYLOAD = Map.of("view_name", "leaderboard");

    private static String text(JsonNode json) {
        return new String(Json.write(json), StandardCharsets.UTF_8);
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
    void nestedAndNullPayloadValuesSurviveTheRoundTrip() {
        Map<String, Object> payload = Json.toMap(Json.parseObject(
                "{\"view_name\": \"v\", \"note\": null, \"tags\": [1, \"a\"], \"opts\": {\"deep\": true}}"
                        .getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("view_name", "v");
        expected.put("note", null);
        expected.put("tags", List.of(1, "a"));
        expected.put("opts", Map.of("deep", true));

        assertThat(payload).containsExactlyEntriesOf(expected);
        Schedule schedule = new Schedule(SCHEDULE_ID, "s", "t", payload, "@daily", "UTC", false, 1, null, null,
                CREATED, CREATED);
        assertThat(text(WireJson.schedule(schedule).get("payload")))
                .isEqualTo("{\"view_name\":\"v\",\"note\":null,\"tags\":[1,\"a\"],\"opts\":{\"deep\":true}}");
    }

    @Test
    void aCronPreviewListsTheRunsAsUtcTimes() {
        assertThat(text(WireJson.cronPreview("0 9 * * *", "Europe/Paris", List.of(Instant.parse("2026-02-23T08:00:00Z"),
                Instant.parse("2026-02-24T08:00:00Z"))))).isEqualTo("{\"cronExpr\":\"0 9 * * *\","
                + "\"timezone\":\"Europe/Paris\",\"nextRuns\":[\"2026-02-23T08:00:00Z\",\"2026-02-24T08:00:00Z\"]}");
    }
}
