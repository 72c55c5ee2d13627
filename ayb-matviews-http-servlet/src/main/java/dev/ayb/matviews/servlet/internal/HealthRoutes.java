package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.HealthReport;
import dev.ayb.matviews.MatviewHealth;
import dev.ayb.matviews.json.WireJson;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/admin/health}: 200 when every registered view is healthy, 503 when any is failing or has been
 * behind its sources for longer than the host's threshold, with the report as the body either way, so a load
 * balancer can go by the status alone and a monitor or an operator can read why.
 */
public final class HealthRoutes implements RouteGroup {
    static final String PATH = "/api/admin/health";

    private final MatviewHealth health;

    public HealthRoutes(MatviewHealth health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    @Override
    public void addTo(Router.Builder router) {
        router.add("GET", PATH, this::health);
    }

    private ApiResponse health(ApiRequest request) {
        HealthReport report = health.check();
        return new ApiResponse(report.healthy() ? 200 : 503, WireJson.healthReport(report), Map.of());
    }
}
