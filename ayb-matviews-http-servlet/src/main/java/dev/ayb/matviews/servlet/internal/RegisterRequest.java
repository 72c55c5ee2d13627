package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.servlet.internal.JsonFields.TimeoutSetting;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/admin/matviews}: {@code {"viewName", "schema", "refreshMode"}}, as the
 * seed sends it. The schema may also be sent as {@code schemaName}, the name the responses use. The optional
 * timeouts, {@code changeTracking} (default false) and {@code targetLagMs} (a positive number of milliseconds, or
 * null for none) come after.
 */
record RegisterRequest(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts, boolean changeTracking,
                       @Nullable Duration targetLag) {

    /** Checked in the original's order: view name, refresh mode, then the identifiers. */
    static RegisterRequest from(ObjectNode body) {
        String viewName = JsonFields.text(body, "viewName")
                .filter(name -> !name.isBlank())
                .orElseThrow(() -> new MatviewException(ErrorCode.VIEW_NAME_REQUIRED));
        String schema = schema(body);
        // The original could not tell "" from a missing mode, so both mean the default.
        RefreshMode mode = JsonFields.text(body, "refreshMode")
                .filter(text -> !text.isEmpty())
                .map(RefreshMode::fromWire)
                .orElse(RefreshMode.STANDARD);
        TimeoutSetting lock = JsonFields.timeout(body, "lockTimeoutMs");
        TimeoutSetting statement = JsonFields.timeout(body, "statementTimeoutMs");
        RefreshTimeouts timeouts = new RefreshTimeouts(lock.applyTo(null), statement.applyTo(null));
        boolean changeTracking = JsonFields.flag(body, "changeTracking").orElse(false);
        Duration targetLag = JsonFields.millis(body, "targetLagMs").applyTo(null);
        return new RegisterRequest(QualifiedName.of(schema, viewName), mode, timeouts, changeTracking, targetLag);
    }

    /** {@code schema} or {@code schemaName}; null (the default schema) when neither is given. */
    private static String schema(ObjectNode body) {
        Optional<String> schema = JsonFields.text(body, "schema");
        Optional<String> schemaName = JsonFields.text(body, "schemaName");
        if (schema.isPresent() && schemaName.isPresent() && !schema.equals(schemaName)) {
            throw JsonFields.invalid("schema and schemaName differ; send one of them");
        }
        return schema.or(() -> schemaName).orElse(null);
    }
}
