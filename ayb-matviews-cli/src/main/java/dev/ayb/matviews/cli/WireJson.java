package dev.ayb.matviews.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.ViewRefreshOutcome;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.Schedule;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The JSON of {@code --json}: the admin HTTP API's field names and order, so a script can switch between
 * the two. Every field is present, {@code null} when unset; timestamps are ISO-8601 in UTC; enums are
 * their wire names. (The servlet module has its own copy of this mapping; the two must be kept in step.)
 */
final class WireJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final JsonMapper MAPPER = JsonMapper.builder()
            // {"view_name": "a", "view_name": "b"} or two documents in one argument are ambiguous: refuse.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private WireJson() {
    }

    static ObjectNode registration(Registration r) {
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
        // As in the HTTP API: per-view timeouts appear only when the view has its own.
        r.timeouts().lock().ifPresent(timeout -> json.put("lockTimeoutMs", timeout.toMillis()));
        r.timeouts().statement().ifPresent(timeout -> json.put("statementTimeoutMs", timeout.toMillis()));
        return json;
    }

    /** The registration as it is after the refresh, and how long the {@code REFRESH} took. */
    static ObjectNode refreshResult(RefreshResult result) {
        ObjectNode json = NODES.objectNode();
        json.set("registration", registration(result.registration()));
        json.put("durationMs", result.durationMs());
        return json;
    }

    /** The refresh response's fields, then each view of the cascade in refresh order. */
    static ObjectNode cascadeResult(CascadeRefreshResult result) {
        ObjectNode json = NODES.objectNode();
        json.set("registration", registration(result.registration()));
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

    static ObjectNode refreshRun(RefreshRun run) {
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

    static ObjectNode discoveredView(DiscoveredView view) {
        ObjectNode json = NODES.objectNode();
        json.put("schemaName", view.schemaName());
        json.put("viewName", view.viewName());
        json.put("populated", view.populated());
        json.put("hasUniqueIndex", view.hasUniqueIndex());
        json.put("registered", view.registered());
        json.put("registrationId", view.registration().map(UUID::toString).orElse(null));
        json.put("concurrentRefreshBlocker", view.concurrentRefreshBlocker().orElse(null));
        return json;
    }

    static ObjectNode schedule(Schedule s) {
        ObjectNode json = NODES.objectNode();
        json.put("id", s.id().toString());
        json.put("name", s.name());
        json.put("jobType", s.jobType());
        json.set("payload", MAPPER.valueToTree(s.payload()));
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

    static ObjectNode job(Job j) {
        ObjectNode json = NODES.objectNode();
        json.put("id", j.id().toString());
        json.put("type", j.type());
        json.set("payload", MAPPER.valueToTree(j.payload()));
        json.put("state", j.state().wireName());
        json.put("runAt", instant(j.runAt()));
        json.put("leaseUntil", instant(j.leaseUntil()));
        json.put("workerId", j.workerId());
        json.put("attempts", j.attempts());
        json.put("maxAttempts", j.maxAttempts());
        json.put("lastError", j.lastError());
        json.put("result", j.result());
        json.put("lastRunAt", instant(j.lastRunAt()));
        json.put("scheduleId", j.scheduleId() == null ? null : j.scheduleId().toString());
        json.put("createdAt", instant(j.createdAt()));
        json.put("updatedAt", instant(j.updatedAt()));
        json.put("completedAt", instant(j.completedAt()));
        json.put("canceledAt", instant(j.canceledAt()));
        return json;
    }

    /** A plain array: what {@code jq '.[]'} expects from a list command. */
    static <T> ArrayNode array(List<T> values, Function<T, ObjectNode> toJson) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(value -> array.add(toJson.apply(value)));
        return array;
    }

    /** Indented, for people; any JSON tool reads it just as well. */
    static String write(JsonNode json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * Parses text that must be exactly one JSON object.
     *
     * @throws IllegalArgumentException saying what is wrong, for the usage error
     */
    static Map<String, Object> parseObject(String text) {
        JsonNode parsed;
        try {
            parsed = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("is not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        return MAPPER.convertValue(parsed, OBJECT);
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
