package dev.ayb.matviews;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A materialized view that exists in the database, whether or not it is registered, with what decides which
 * refresh modes it can use.
 *
 * @param registrationId the registration's id when the view is registered, else null
 * @param dependants     the plain and materialized views that read it directly, as {@code schema.name}: they are
 *                       bound to its object id, so they block a {@link RefreshMode#SWAP swap}
 */
public record DiscoveredView(
        String schemaName,
        String viewName,
        boolean populated,
        boolean hasUniqueIndex,
        @Nullable UUID registrationId,
        List<String> dependants) {

    public DiscoveredView {
        Objects.requireNonNull(schemaName, "schemaName");
        Objects.requireNonNull(viewName, "viewName");
        dependants = List.copyOf(dependants);
    }

    /** A view nothing depends on. */
    public DiscoveredView(String schemaName, String viewName, boolean populated, boolean hasUniqueIndex,
                          @Nullable UUID registrationId) {
        this(schemaName, viewName, populated, hasUniqueIndex, registrationId, List.of());
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

    /**
     * Why {@link RefreshMode#SWAP} would be refused right now, or empty when it would run: views depending on
     * this one, named. A swap needs neither a unique index nor a populated view (it builds from the definition).
     */
    public Optional<String> swapRefreshBlocker() {
        return dependants.isEmpty() ? Optional.empty() : Optional.of(dependantsMessage(dependants));
    }

    /** The modes a refresh would run in right now, in declaration order; standard always. */
    public List<RefreshMode> refreshModes() {
        List<RefreshMode> modes = new ArrayList<>(List.of(RefreshMode.STANDARD));
        if (concurrentRefreshBlocker().isEmpty()) {
            modes.add(RefreshMode.CONCURRENT);
        }
        if (swapRefreshBlocker().isEmpty()) {
            modes.add(RefreshMode.SWAP);
        }
        return List.copyOf(modes);
    }

    /** {@link ErrorCode#SWAP_BLOCKED_BY_DEPENDANTS}'s message naming the views, the same for discovery and refresh. */
    public static String dependantsMessage(List<String> dependants) {
        return ErrorCode.SWAP_BLOCKED_BY_DEPENDANTS.defaultMessage() + ": "
                + String.join(", ", dependants);
    }
}
