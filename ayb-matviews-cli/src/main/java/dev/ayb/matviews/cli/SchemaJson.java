package dev.ayb.matviews.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.jdbc.SchemaStatus;
import java.util.List;

/** The JSON of {@code ayb schema status} and {@code ayb migrate} (the HTTP API has no such answer). */
final class SchemaJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaJson() {
    }

    static ObjectNode status(SchemaStatus status) {
        ObjectNode json = NODES.objectNode();
        json.put("schema", status.schema());
        json.put("upToDate", status.upToDate());
        json.put("newerThanLibrary", status.newerThanLibrary());
        json.set("applied", versions(status.applied()));
        json.set("pending", versions(status.pending()));
        return json;
    }

    static ArrayNode versions(List<SchemaStatus.Version> versions) {
        ArrayNode array = NODES.arrayNode();
        for (SchemaStatus.Version version : versions) {
            ObjectNode json = array.addObject();
            json.put("version", version.version());
            json.put("description", version.description());
            json.put("installedAt", version.installedAt() == null ? null : version.installedAt().toString());
        }
        return array;
    }
}
