package dev.ayb.matviews.cli;

import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import java.util.Optional;

/**
 * After a view is put in concurrent or swap mode, warns when that mode would be refused right now: CONCURRENTLY
 * without a usable unique index or on a view not populated, a swap while other views depend on the view. The
 * library accepts the mode either way, since the index may come later or the dependants go; the operator should
 * still hear it now rather than from the first failed refresh.
 */
final class RefreshModeCheck {
    private RefreshModeCheck() {
    }

    static void warnIfBlocked(MatviewRegistry registry, QualifiedName view, RefreshMode mode, Output output) {
        if (mode == RefreshMode.STANDARD) {
            return;
        }
        registry.discover().stream()
                .filter(found -> found.schemaName().equals(view.schema()) && found.viewName().equals(view.view()))
                .findFirst()
                .flatMap(found -> blocker(found, mode))
                .ifPresent(reason -> output.warning(reason + "; refreshes of " + view + " fail until then"));
    }

    private static Optional<String> blocker(DiscoveredView view, RefreshMode mode) {
        return mode == RefreshMode.SWAP ? view.swapRefreshBlocker() : view.concurrentRefreshBlocker();
    }
}
