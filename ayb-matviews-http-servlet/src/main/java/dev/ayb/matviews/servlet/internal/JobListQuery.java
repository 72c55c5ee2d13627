package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jobs.JobState;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The query of {@code GET /api/admin/jobs}: {@code state} (a job state's wire name), {@code type} (any
 * text; the core binds it as a parameter) and {@code limit} (default {@value #DEFAULT_LIMIT}). An empty
 * {@code state=} or {@code type=} means no filter, as a dashboard's "all" option sends it. Only the syntax
 * is checked here; the limit's range is the core's rule.
 *
 * @param state null for every state
 * @param type  null for every type
 */
record JobListQuery(JobState state, String type, int limit) {
    static final int DEFAULT_LIMIT = 50;

    static JobListQuery from(ApiRequest request) {
        JobState state = request.queryParameter("state").filter(text -> !text.isEmpty())
                .map(JobListQuery::state).orElse(null);
        String type = request.queryParameter("type").filter(text -> !text.isEmpty()).orElse(null);
        int limit = request.queryParameter("limit").map(JobListQuery::limit).orElse(DEFAULT_LIMIT);
        return new JobListQuery(state, type, limit);
    }

    private static JobState state(String text) {
        try {
            return JobState.fromWire(text);
        } catch (IllegalArgumentException e) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "state must be one of "
                    + Arrays.stream(JobState.values()).map(JobState::wireName).collect(Collectors.joining(", ")));
        }
    }

    private static int limit(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT,
                    "limit must be an integer between 1 and " + ScheduleAdmin.MAX_JOB_LIST_LIMIT);
        }
    }
}
