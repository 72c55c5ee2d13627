package dev.ayb.matviews.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.HealthReport;
import dev.ayb.matviews.MatviewHealth;
import dev.ayb.matviews.json.WireJson;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when every registered view is healthy, DOWN when one is failing or behind its sources for longer than the
 * threshold: {@link MatviewHealth}'s rule, the one {@code GET /api/admin/health} answers with. The details are
 * that route's body, so an operator reads the same fields in both places.
 */
public final class MatviewsHealthIndicator extends AbstractHealthIndicator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MatviewHealth health;

    public MatviewsHealthIndicator(MatviewHealth health) {
        super("materialized view health check failed");
        this.health = Objects.requireNonNull(health, "health");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        HealthReport report = health.check();
        (report.healthy() ? builder.up() : builder.down()).withDetails(details(report));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(HealthReport report) {
        return JSON.convertValue(WireJson.healthReport(report), Map.class);
    }
}
