package dev.ayb.matviews.servlet;

import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;

/**
 * The seed document's schedule example, sent as written there (method, path, headers and the body's exact
 * text, indentation included), with the test's port and token in place of localhost:8090 and
 * $AYB_ADMIN_TOKEN:
 *
 * <pre>
 * curl -X POST http://localhost:8090/api/admin/schedules \
 *   -H "Authorization: Bearer $AYB_ADMIN_TOKEN" \
 *   -H "Content-Type: application/json" \
 *   -d '{
 *     "name": "leaderboard_hourly",
 *     "jobType": "materialized_view_refresh",
 *     "cronExpr": "0 * * * *",
 *     "timezone": "UTC",
 *     "payload": {"schema": "public", "view_name": "leaderboard"},
 *     "enabled": true
 *   }'
 * </pre>
 */
final class SeedScheduleExample {
    static final String PATH = "/api/admin/schedules";
    static final String NAME = "leaderboard_hourly";
    static final String CRON = "0 * * * *";
    static final String BODY = body(CRON);

    private SeedScheduleExample() {
    }

    /** The example's body with another cron expression, e.g. every second for an end-to-end run. */
    static String body(String cronExpr) {
        return "{\n"
                + "    \"name\": \"leaderboard_hourly\",\n"
                + "    \"jobType\": \"materialized_view_refresh\",\n"
                + "    \"cronExpr\": \"" + cronExpr + "\",\n"
                + "    \"timezone\": \"UTC\",\n"
                + "    \"payload\": {\"schema\": \"public\", \"view_name\": \"leaderboard\"},\n"
                + "    \"enabled\": true\n"
                + "  }";
    }

    static Reply send(AdminApi api, String body) {
        return api.send(HttpRequest.newBuilder(api.uri(PATH))
                .header("Authorization", "Bearer " + api.token())
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body))
                .timeout(AdminApi.TIMEOUT)
                .build());
    }
}
