package dev.ayb.matviews;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A materialized view that exists in the database, whether or not it is registered, with what
 * decides whether it can be refreshed concurrently.
 *
 * @param registrationId the registration's id when the view is registered, else null
 */
public record DiscoveredView(
        String schemaName,
        String viewName,
        boolean populated,
        boolean hasUniqueIndex,
        @Nullable UUID registrationId) {

    public DiscoveredView {
        Objects.requireNonNull(schemaName, "schemaName");
        Objects.requireNonNull(viewName, "viewName");
    }

    public boolean registered() {
        return registrationId != null;
    }

    public Optional<UUID> registration() {
        return Optional.ofNullable(registrationId);
    }

    /** Why {@link RefreshMode#CONCURRENT} would be refused right now, or empty when it would run. */
    public Optional<String> concurrentRefreshBlocker() {
        if (!hasUniqueIndex) {
            return Optional.of(ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX.defaultMessage());
        }
        if (!populated) {
            return Optional.of(ErrorCode.CONCURRENT_REQUIRES_POPULATED.defaultMessage());
        }
        return Optional.empty();
    }
}
