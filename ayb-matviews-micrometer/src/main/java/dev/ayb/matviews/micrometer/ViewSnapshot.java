package dev.ayb.matviews.micrometer;

import dev.ayb.matviews.Registration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The registered views at one reading: what the gauges need of each, by {@code schema.view}. */
record ViewSnapshot(Map<String, Figures> byView, long readAtNanos) {

    /**
     * @param lastSuccessAt null before the view's first successful refresh
     * @param behindSince   null when the view is current or not tracked
     * @param targetLagMs   null when the view has no target lag
     */
    record Figures(boolean tracked, @Nullable Instant lastSuccessAt, @Nullable Instant behindSince,
                   @Nullable Long targetLagMs) {
    }

    static ViewSnapshot of(List<Registration> registrations, Map<UUID, Instant> behindSince, long readAtNanos) {
        Map<String, Figures> byView = new LinkedHashMap<>();
        for (Registration registration : registrations) {
            byView.put(registration.qualifiedName().toString(), new Figures(registration.changeTracking(),
                    registration.lastSuccessAt(), behindSince.get(registration.id()), registration.targetLagMs()));
        }
        return new ViewSnapshot(Map.copyOf(byView), readAtNanos);
    }

    Set<String> views() {
        return byView.keySet();
    }

    int size() {
        return byView.size();
    }

    @Nullable Figures figures(String view) {
        return byView.get(view);
    }
}
