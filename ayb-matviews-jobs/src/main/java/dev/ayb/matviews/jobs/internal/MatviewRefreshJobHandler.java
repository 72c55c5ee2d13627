package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobResult;
import java.util.Map;

/**
 * The built-in {@code materialized_view_refresh} job: payload {@code {"schema": "public", "view_name": "..."}},
 * optionally {@code "cascade": "upstream"} (or downstream, both) to refresh related views with it, and
 * {@code "ifChanged": true} to skip the refresh of a tracked view that no source change has made behind (the job
 * then completes as skipped with the reason, and the view's history has a {@code skipped} row). {@code ifChanged}
 * applies to one view, so it cannot be combined with a cascade.
 * Registers the view in standard mode if it has no registration yet, then takes the same path as a
 * manual refresh, advisory lock included. A refresh already in progress elsewhere is a skipped run,
 * not a failure to retry. No time limit is added: the registration's statement timeout, if any, applies.
 */
public final class MatviewRefreshJobHandler implements JobHandler {
    public static final String JOB_TYPE = "materialized_view_refresh";

    private final MatviewRegistry registry;
    private final RefreshService refreshes;

    public MatviewRefreshJobHandler(MatviewRegistry registry, RefreshService refreshes) {
        this.registry = registry;
        this.refreshes = refreshes;
    }

    @Override
    public String jobType() {
        return JOB_TYPE;
    }

    @Override
    public void validatePayload(Map<String, Object> payload) {
        view(payload);
        Cascade cascade = cascade(payload);
        if (ifChanged(payload) && cascade != Cascade.NONE) {
            throw new MatviewException(ErrorCode.INVALID_PAYLOAD,
                    "payload.ifChanged cannot be combined with payload.cascade");
        }
    }

    @Override
    public JobResult handle(Job job) {
        Registration registration = registry.findOrRegister(view(job.payload()));
        Cascade cascade = cascade(job.payload());
        boolean ifChanged = cascade == Cascade.NONE && ifChanged(job.payload());
        try {
            if (cascade == Cascade.NONE) {
                RefreshResult result = refreshes.refresh(registration, RefreshTrigger.SCHEDULE, ifChanged);
                if (result.skipped()) {
                    return JobResult.skipped(result.skipReason());
                }
                return JobResult.done("refreshed " + registration.qualifiedName() + " in " + result.durationMs() + " ms");
            }
            CascadeRefreshResult result = refreshes.refresh(ViewRef.of(registration.id()), cascade,
                    RefreshTrigger.SCHEDULE);
            if (result.failure() != null) {
                throw result.failure();
            }
            return JobResult.done("refreshed " + result.views().size() + " views (cascade " + cascade + ") ending with "
                    + registration.qualifiedName() + " in " + result.durationMs() + " ms");
        } catch (MatviewException e) {
            if (e.code() == ErrorCode.REFRESH_IN_PROGRESS) {
                return JobResult.skipped(e.getMessage());
            }
            throw e;
        }
    }

    /** Optional {@code "cascade": "none" | "upstream" | "downstream" | "both"}. */
    static Cascade cascade(Map<String, Object> payload) {
        Object cascade = payload.get("cascade");
        if (cascade == null) {
            return Cascade.NONE;
        }
        if (!(cascade instanceof String text)) {
            throw new MatviewException(ErrorCode.INVALID_PAYLOAD, "payload.cascade must be a string");
        }
        return Cascade.fromWire(text);
    }

    /** Optional {@code "ifChanged": true | false} (default false). */
    static boolean ifChanged(Map<String, Object> payload) {
        Object ifChanged = payload.get("ifChanged");
        if (ifChanged == null) {
            return false;
        }
        if (!(ifChanged instanceof Boolean flag)) {
            throw new MatviewException(ErrorCode.INVALID_PAYLOAD, "payload.ifChanged must be a boolean");
        }
        return flag;
    }

    /** {@code schema} defaults to {@code public}; {@code view_name} is required. */
    static QualifiedName view(Map<String, Object> payload) {
        Object view = payload.get("view_name");
        if (view == null || (view instanceof String text && text.isBlank())) {
            throw new MatviewException(ErrorCode.INVALID_PAYLOAD, "payload.view_name is required");
        }
        Object schema = payload.getOrDefault("schema", QualifiedName.DEFAULT_SCHEMA);
        if (!(view instanceof String) || !(schema instanceof String)) {
            throw new MatviewException(ErrorCode.INVALID_PAYLOAD, "payload.schema and payload.view_name must be strings");
        }
        return QualifiedName.of((String) schema, (String) view);
    }
}
