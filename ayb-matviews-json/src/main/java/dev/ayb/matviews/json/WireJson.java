package dev.ayb.matviews.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.HealthReport;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.UnhealthyView;
import dev.ayb.matviews.ViewDependencies;
import dev.ayb.matviews.ViewRefreshOutcome;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.Schedule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The library's values in their wire form, the one shape the HTTP API, the command line's {@code --json}
 * and any host that exposes them share. Field names and order are the original system's; timestamps are
 * ISO-8601 in UTC; a value that is not set is written as {@code null}, so clients see every field every
 * time (except a view's own timeouts, which appear only when set). Enums are written as their wire names.
 */
public final class WireJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WireJson() {
    }

    /**
     * The original's fields, the view's own timeouts when set, then {@code lastSuccessAt} (the moment the
     * view's data is "as of", null until a refresh succeeds), {@code changeTracking}, {@code targetLagMs} (null: no
     * target) and {@code freshness} (see {@link #freshness}).
     */
    public static ObjectNode registration(Registration r, Freshness freshness) {
        ObjectNode json = NODES.objectNode();
        json.put("id", r.id().toString());
        json.put("schemaName", r.schemaName());
        json.put("viewName", r.viewName());
        json.put("refreshMode", r.refreshMode().wireName());
        json.put("lastRefreshAt", instant(r.lastRefreshAt()));
        json.put("lastRefreshDurationMs", r.lastRefreshDurationMs());
        json.put("lastRefreshStatus", r.lastRefreshStatus() == null ? null : r.lastRefreshStatus().wireName());
        json.put("lastRefreshError", r.lastRefreshError());
        json.put("createdAt", instant(r.createdAt()));
        json.put("updatedAt", instant(r.updatedAt()));
        r.timeouts().lock().ifPresent(timeout -> json.put("lockTimeoutMs", timeout.toMillis()));
        r.timeouts().statement().ifPresent(timeout -> json.put("statementTimeoutMs", timeout.toMillis()));
        // Added after the original's fields (and the optional timeouts), so no existing field moves.
        json.put("lastSuccessAt", instant(r.lastSuccessAt()));
        json.put("changeTracking", r.changeTracking());
        json.put("targetLagMs", r.targetLagMs());
        json.set("freshness", freshness(freshness));
        return json;
    }

    /**
     * {@code {"state": "current" | "behind" | "unknown", "behindSince", "reason", "lagMs", "nextRefreshAt"}}:
     * {@code behindSince} is the time of the first change the view has not seen, {@code reason} why it is unknown or
     * behind without one (or why a view with a target cannot keep up), {@code lagMs} how far behind it is right now
     * (see {@link Freshness#lagMs()}), {@code nextRefreshAt} when the job runner plans to refresh it to meet its
     * target lag (null when none is planned).
     */
    public static ObjectNode freshness(Freshness freshness) {
        ObjectNode json = NODES.objectNode();
        json.put("state", freshness.state().wireName());
        json.put("behindSince", instant(freshness.behindSince()));
        json.put("reason", freshness.reason());
        json.put("lagMs", freshness.lagMs());
        json.put("nextRefreshAt", instant(freshness.nextRefreshAt()));
        return json;
    }

    /** A base table a tracked view reads, as {@code GET /api/admin/matviews/{ref}/sources} lists it. */
    public static ObjectNode sourceTable(SourceTable source) {
        ObjectNode json = NODES.objectNode();
        json.put("schemaName", source.schemaName());
        json.put("tableName", source.tableName());
        json.put("partition", source.partition());
        json.put("triggerInstalled", source.triggerInstalled());
        json.put("capture", source.capture());
        return json;
    }

    /**
     * The health of the registered views: {@code status} is {@code healthy} or {@code unhealthy}, and each view
     * that is not healthy says why ({@code problems}: {@code failing}, {@code behind}, {@code target_missed}) with what
     * to look at.
     */
    public static ObjectNode healthReport(HealthReport report) {
        ObjectNode json = NODES.objectNode();
        json.put("status", report.healthy() ? "healthy" : "unhealthy");
        json.put("checkedAt", instant(report.checkedAt()));
        json.put("behindThresholdMs", report.behindThreshold().toMillis());
        json.put("views", report.views());
        ArrayNode unhealthy = json.putArray("unhealthy");
        for (UnhealthyView view : report.unhealthy()) {
            ObjectNode entry = unhealthy.addObject();
            entry.put("id", view.id().toString());
            entry.put("schemaName", view.view().schema());
            entry.put("viewName", view.view().view());
            ArrayNode problems = entry.putArray("problems");
            view.problems().stream().sorted().forEach(problem -> problems.add(problem.wireName()));
            entry.put("lastRefreshAt", instant(view.lastRefreshAt()));
            entry.put("lastRefreshError", view.lastRefreshError());
            entry.put("behindSince", instant(view.behindSince()));
        }
        return json;
    }

    /**
     * The registration as it is after the refresh (with {@code freshness}, its freshness then), and how long
     * the {@code REFRESH} took.
     */
    public static ObjectNode refreshResult(RefreshResult result, Freshness freshness) {
        ObjectNode json = NODES.objectNode();
        json.set("registration", registration(result.registration(), freshness));
        json.put("durationMs", result.durationMs());
        return json;
    }

    /**
     * The answer to a refresh asked "only if changed": {@link #refreshResult}'s fields, then {@code skipped} and
     * {@code reason} (why it was skipped, null when it ran). A skipped refresh has {@code durationMs} of the check.
     */
    public static ObjectNode ifChangedResult(RefreshResult result, Freshness freshness) {
        ObjectNode json = refreshResult(result, freshness);
        json.put("skipped", result.skipped());
        json.put("reason", result.skipReason());
        return json;
    }

    /** The refresh answer's fields, then {@code cascade} and each view's outcome in refresh order. */
    public static ObjectNode cascadeResult(CascadeRefreshResult result, Freshness freshness) {
        ObjectNode json = NODES.objectNode();
        json.set("registration", registration(result.registration(), freshness));
        json.put("durationMs", result.durationMs());
        ArrayNode views = json.putArray("views");
        for (ViewRefreshOutcome view : result.views()) {
            ObjectNode item = views.addObject();
            item.put("schemaName", view.view().schema());
            item.put("viewName", view.view().view());
            item.put("status", view.status().wireName());
            item.put("durationMs", view.durationMs());
            item.put("error", view.error());
        }
        return json;
    }

    /** Upstream and downstream materialized views, each in refresh order, as {@code schema.view} names. */
    public static ObjectNode dependencies(ViewDependencies dependencies) {
        ObjectNode json = NODES.objectNode();
        json.put("schemaName", dependencies.view().schema());
        json.put("viewName", dependencies.view().view());
        ArrayNode upstream = json.putArray("upstream");
        dependencies.upstream().forEach(name -> upstream.add(name.toString()));
        ArrayNode downstream = json.putArray("downstream");
        dependencies.downstream().forEach(name -> downstream.add(name.toString()));
        return json;
    }

    public static ObjectNode refreshRun(RefreshRun run) {
        ObjectNode json = NODES.objectNode();
        json.put("id", run.id());
        json.put("registrationId", run.registrationId().toString());
        json.put("schemaName", run.schemaName());
        json.put("viewName", run.viewName());
        json.put("refreshMode", run.refreshMode().wireName());
        json.put("trigger", run.trigger().wireName());
        json.put("startedAt", instant(run.startedAt()));
        json.put("finishedAt", instant(run.finishedAt()));
        json.put("durationMs", run.durationMs());
        json.put("status", run.status().wireName());
        json.put("error", run.error());
        json.put("sqlState", run.sqlState());
        return json;
    }

    /**
     * The data of an event of {@code GET .../events}: for a {@code refresh}, {@code {schemaName, viewName, status,
     * lastRefreshAt, lastSuccessAt, durationMs, skipped}} (the registration's fields after the run, the run's
     * status and duration); for a {@code behind}, {@code {schemaName, viewName, lastRefreshAt, lastSuccessAt,
     * behindSince}}. The event's name and id travel in the stream's own fields, not here.
     */
    public static ObjectNode refreshEvent(RefreshEvent event) {
        ObjectNode json = NODES.objectNode();
        json.put("schemaName", event.view().schema());
        json.put("viewName", event.view().view());
        if (event.kind() == RefreshEvent.Kind.REFRESH) {
            json.put("status", event.status() == null ? null : event.status().wireName());
            json.put("lastRefreshAt", instant(event.lastRefreshAt()));
            json.put("lastSuccessAt", instant(event.lastSuccessAt()));
            json.put("durationMs", event.durationMs());
            json.put("skipped", event.skipped());
        } else {
            json.put("lastRefreshAt", instant(event.lastRefreshAt()));
            json.put("lastSuccessAt", instant(event.lastSuccessAt()));
            json.put("behindSince", instant(event.behindSince()));
        }
        return json;
    }

    public static ObjectNode discoveredView(DiscoveredView view) {
        ObjectNode json = NODES.objectNode();
        json.put("schemaName", view.schemaName());
        json.put("viewName", view.viewName());
        json.put("populated", view.populated());
        json.put("hasUniqueIndex", view.hasUniqueIndex());
        json.put("registered", view.registered());
        json.put("registrationId", view.registration().map(UUID::toString).orElse(null));
        json.put("concurrentRefreshBlocker", view.concurrentRefreshBlocker().orElse(null));
        json.put("swapRefreshBlocker", view.swapRefreshBlocker().orElse(null));
        ArrayNode dependants = json.putArray("dependants");
        view.dependants().forEach(dependants::add);
        ArrayNode modes = json.putArray("refreshModes");
        view.refreshModes().forEach(mode -> modes.add(mode.wireName()));
        return json;
    }

    public static ObjectNode schedule(Schedule s) {
        ObjectNode json = NODES.objectNode();
        json.put("id", s.id().toString());
        json.put("name", s.name());
        json.put("jobType", s.jobType());
        json.set("payload", payload(s.payload()));
        json.put("cronExpr", s.cronExpr());
        json.put("timezone", s.timezone());
        json.put("enabled", s.enabled());
        json.put("maxAttempts", s.maxAttempts());
        json.put("nextRunAt", instant(s.nextRunAt()));
        json.put("lastRunAt", instant(s.lastRunAt()));
        json.put("createdAt", instant(s.createdAt()));
        json.put("updatedAt", instant(s.updatedAt()));
        return json;
    }

    /** The original's job fields in its order, then {@code result}, which it did not have. */
    public static ObjectNode job(Job j) {
        ObjectNode json = NODES.objectNode();
        json.put("id", j.id().toString());
        json.put("type", j.type());
        json.set("payload", payload(j.payload()));
        json.put("state", j.state().wireName());
        json.put("runAt", instant(j.runAt()));
        json.put("leaseUntil", instant(j.leaseUntil()));
        json.put("workerId", j.workerId());
        json.put("attempts", j.attempts());
        json.put("maxAttempts", j.maxAttempts());
        json.put("lastError", j.lastError());
        json.put("lastRunAt", instant(j.lastRunAt()));
        json.put("scheduleId", j.scheduleId() == null ? null : j.scheduleId().toString());
        json.put("createdAt", instant(j.createdAt()));
        json.put("updatedAt", instant(j.updatedAt()));
        json.put("completedAt", instant(j.completedAt()));
        json.put("canceledAt", instant(j.canceledAt()));
        json.put("result", j.result());
        return json;
    }

    /** The next run times of a cron expression, for the dashboard's preview of what it is about to save. */
    public static ObjectNode cronPreview(String cronExpr, String timezone, List<Instant> nextRuns) {
        ObjectNode json = NODES.objectNode();
        json.put("cronExpr", cronExpr);
        json.put("timezone", timezone);
        ArrayNode runs = json.putArray("nextRuns");
        nextRuns.forEach(run -> runs.add(instant(run)));
        return json;
    }

    private static JsonNode payload(Map<String, Object> payload) {
        return MAPPER.valueToTree(payload);
    }

    private static @Nullable String instant(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
