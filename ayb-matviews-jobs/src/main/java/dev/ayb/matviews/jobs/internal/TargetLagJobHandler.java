package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.support.TargetedViews;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobHandler;
import dev.ayb.matviews.jobs.JobResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code materialized_view_target_lag} job the planner enqueues: payload {@code {"ids": [registration ids in
 * refresh order], "views": ["schema.view", ...]}} (the names are for people reading the queue). Each view is refreshed
 * "only if changed", so a view no source change has made behind is not refreshed at all, however the job came to run.
 * A view unregistered since is passed over. A view refreshed elsewhere at that moment is skipped, and so are the views
 * after it, which read it (the planner plans them again); the first failure ends the job (failed; the planner plans
 * again) for the same reason.
 */
public final class TargetLagJobHandler implements JobHandler {
    public static final String JOB_TYPE = "materialized_view_target_lag";

    private final MatviewRegistry registry;
    private final RefreshService refreshes;

    public TargetLagJobHandler(MatviewRegistry registry, RefreshService refreshes) {
        this.registry = registry;
        this.refreshes = refreshes;
    }

    /** The payload of a job refreshing {@code views} in that order. */
    public static Map<String, Object> payload(List<Registration> views) {
        return Map.of(TargetedViews.PAYLOAD_IDS, views.stream().map(r -> r.id().toString()).toList(),
                "views", views.stream().map(r -> r.qualifiedName().toString()).toList());
    }

    @Override
    public String jobType() {
        return JOB_TYPE;
    }

    @Override
    public void validatePayload(Map<String, Object> payload) {
        ids(payload);
    }

    @Override
    public JobResult handle(Job job) {
        List<String> done = new ArrayList<>();
        boolean refreshedAny = false;
        for (UUID id : ids(job.payload())) {
            Optional<Registration> registration = registry.find(ViewRef.of(id));
            if (registration.isEmpty()) {
                continue;
            }
            String name = registration.get().qualifiedName().toString();
            try {
                RefreshResult result = refreshes.refresh(registration.get(), RefreshTrigger.SCHEDULE, true);
                refreshedAny |= !result.skipped();
                done.add(result.skipped() ? name + " skipped (" + result.skipReason() + ")"
                        : name + " refreshed in " + result.durationMs() + " ms");
            } catch (MatviewException e) {
                if (e.code() != ErrorCode.REFRESH_IN_PROGRESS) {
                    throw e;
                }
                // The views after it read it: refreshed now, they would read its old rows and need another
                // refresh once it is done. They are left to the next plan.
                done.add(name + " skipped (" + e.getMessage() + "); the views after it are left to the next plan");
                break;
            }
        }
        String summary = String.join("; ", done);
        return refreshedAny ? JobResult.done(summary) : JobResult.skipped(summary.isEmpty() ? "no view left" : summary);
    }

    static List<UUID> ids(Map<String, Object> payload) {
        Object ids = payload.get(TargetedViews.PAYLOAD_IDS);
        if (!(ids instanceof List<?> list) || list.isEmpty()) {
            throw new MatviewException(ErrorCode.INVALID_PAYLOAD, "payload.ids must be a non-empty list");
        }
        List<UUID> parsed = new ArrayList<>();
        for (Object id : list) {
            try {
                parsed.add(UUID.fromString(String.valueOf(id)));
            } catch (IllegalArgumentException e) {
                throw new MatviewException(ErrorCode.INVALID_PAYLOAD, "payload.ids must hold registration ids");
            }
        }
        return parsed;
    }
}
