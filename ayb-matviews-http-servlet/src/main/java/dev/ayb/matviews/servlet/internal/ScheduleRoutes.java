package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.json.WireJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/admin/schedules}: cron schedules as data (create, read, change, enable, disable, delete) and
 * "run now". {@code {id}} is a schedule's id or its name. Each handler parses the request, makes one call
 * into {@link ScheduleAdmin} and writes JSON; which values are valid, and what enable, disable and run do
 * to the schedule, are the core's rules.
 *
 * <p>When this instance runs no jobs, every route answers 503 except {@code GET .../preview}: it only
 * parses a cron expression, touches no table and enqueues nothing, so the dashboard can check a cron field
 * on any instance.
 */
public final class ScheduleRoutes implements RouteGroup {
    static final String BASE = "/api/admin/schedules";
    static final int DEFAULT_PREVIEW_COUNT = 5;

    private final ScheduleAdmin schedules;
    private final JobQueueGate gate;

    /** @param jobsEnabled whether this instance runs jobs; when not, the routes answer 503 */
    public ScheduleRoutes(ScheduleAdmin schedules, boolean jobsEnabled) {
        this.schedules = Objects.requireNonNull(schedules, "schedules");
        this.gate = new JobQueueGate(jobsEnabled);
    }

    @Override
    public void addTo(Router.Builder router) {
        router.add("GET", BASE, gate.guard(this::list))
                .add("POST", BASE, gate.guard(this::create))
                // A literal segment wins over {id}: a schedule named "preview" is addressed by its id.
                .add("GET", BASE + "/preview", this::preview)
                .add("GET", BASE + "/{id}", gate.guard(this::get))
                .add("PUT", BASE + "/{id}", gate.guard(this::update))
                .add("PATCH", BASE + "/{id}", gate.guard(this::update))
                .add("DELETE", BASE + "/{id}", gate.guard(this::delete))
                .add("POST", BASE + "/{id}/enable", gate.guard(this::enable))
                .add("POST", BASE + "/{id}/disable", gate.guard(this::disable))
                .add("POST", BASE + "/{id}/run", gate.guard(this::run));
    }

    private ApiResponse list(ApiRequest request) {
        return ApiResponse.ok(Json.list(schedules.list(), WireJson::schedule));
    }

    private ApiResponse create(ApiRequest request) {
        Schedule created = schedules.create(ScheduleRequest.from(request.jsonBody()));
        return ApiResponse.created(WireJson.schedule(created), request.absolutePath(BASE + "/" + created.id()));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(WireJson.schedule(schedules.get(id(request))));
    }

    /** PUT and PATCH alike: the fields sent change, the others stay (a PUT need not repeat them all). */
    private ApiResponse update(ApiRequest request) {
        String id = id(request);
        ScheduleSpec changes = ScheduleRequest.from(request.jsonBody());
        return ApiResponse.ok(WireJson.schedule(schedules.update(id, changes)));
    }

    private ApiResponse delete(ApiRequest request) {
        schedules.delete(id(request));
        return ApiResponse.noContent();
    }

    private ApiResponse enable(ApiRequest request) {
        return ApiResponse.ok(WireJson.schedule(schedules.enable(id(request))));
    }

    private ApiResponse disable(ApiRequest request) {
        return ApiResponse.ok(WireJson.schedule(schedules.disable(id(request))));
    }

    /** 202: the run is queued, not done; {@code Location} is where to poll the job. */
    private ApiResponse run(ApiRequest request) {
        Job job = schedules.runNow(id(request));
        return new ApiResponse(202, WireJson.job(job),
                Map.of("Location", request.absolutePath(JobRoutes.BASE + "/" + job.id())));
    }

    private ApiResponse preview(ApiRequest request) {
        String cronExpr = request.queryParameter("cronExpr").orElse(null);
        String timezone = request.queryParameter("timezone").filter(zone -> !zone.isBlank())
                .orElse(ScheduleSpec.DEFAULT_TIMEZONE);
        int count = request.queryParameter("count").map(ScheduleRoutes::count).orElse(DEFAULT_PREVIEW_COUNT);
        List<Instant> nextRuns = schedules.preview(cronExpr, timezone, count);
        return ApiResponse.ok(WireJson.cronPreview(cronExpr, timezone, nextRuns));
    }

    private static String id(ApiRequest request) {
        return request.variable("id");
    }

    /** Only the syntax is checked here; the range is the core's rule. */
    private static int count(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "count must be an integer");
        }
    }
}
