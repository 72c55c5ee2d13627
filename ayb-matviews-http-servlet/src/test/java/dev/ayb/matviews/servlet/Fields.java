package dev.ayb.matviews.servlet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Field names of a JSON object in the order they were written. */
final class Fields {
    /** The seed's registration fields, in its order, then the data age, the tracking flag and the freshness added after them. */
    static final List<String> REGISTRATION = List.of("id", "schemaName", "viewName", "refreshMode", "lastRefreshAt",
            "lastRefreshDurationMs", "lastRefreshStatus", "lastRefreshError", "createdAt", "updatedAt",
            "lastSuccessAt", "changeTracking", "targetLagMs", "freshness");

    private Fields() {
    }

    static List<String> of(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
