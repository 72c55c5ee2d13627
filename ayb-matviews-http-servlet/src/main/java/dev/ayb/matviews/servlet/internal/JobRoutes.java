package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.CanonicalUuid;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.jobs.ScheduleAdmin;
import dev.ayb.matviews.json.WireJson;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code /api/admin/jobs}: list the queue, read one job (to poll a run started with
 * {@code POST /api/admin/schedules/{id}/run}), retry a failed or canceled job, cancel a queued one.
 * {@code {id}} is a job's UUID. Which state changes are allowed is the core's rule (409 otherwise). Every
 * route answers 503 when this instance runs no jobs.
 */
public final class JobRoutes implements RouteGroup {
    static final String BASE = "/api/admin/jobs";

    private final ScheduleAdmin admin;
    private final JobQueueGate gate;

    /** @param jobsEnabled whether this instance runs jobs; when not, the routes answer 503 */
    public JobRoutes(ScheduleAdmin admin, boolean jobsEnabled) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.gate = new JobQueueGate(jobsEnabled);
    }

    @Override
    public void addTo(Router.Builder router) {
        router.add("GET", BASE, gate.guard(this::list))
                .add("GET", BASE + "/{id}", gate.guard(this::get))
                .add("POST", BASE + "/{id}/retry", gate.guard(this::retry))
                .add("POST", BASE + "/{id}/cancel", gate.guard(this::cancel));
    }

    private ApiResponse list(ApiRequest request) {
        JobListQuery query = JobListQuery.from(request);
        return ApiResponse.ok(Json.list(admin.jobs(query.state(), query.type(), query.limit()), WireJson::job));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(WireJson.job(admin.job(id(request))));
    }

    private ApiResponse retry(ApiRequest request) {
        return ApiResponse.ok(WireJson.job(admin.retryJob(id(request))));
    }

    private ApiResponse cancel(ApiRequest request) {
        return ApiResponse.ok(WireJson.job(admin.cancelJob(id(request))));
    }

    private static UUID id(ApiRequest request) {
        return CanonicalUuid.parse(request.variable("id"))
                .orElseThrow(() -> new MatviewException(ErrorCode.INVALID_ID_FORMAT, "invalid job id format"));
    }
}
