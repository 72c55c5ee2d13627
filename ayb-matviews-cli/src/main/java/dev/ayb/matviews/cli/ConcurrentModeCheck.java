package dev.ayb.matviews.cli;

import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;

/**
 * After a view is put in concurrent mode, warns when PostgreSQL would refuse CONCURRENTLY right now (no
 * usable unique index, or not populated). The library accepts the mode either way, since the index may
 * come later; the operator should still hear it now rather than from the first failed refresh.
 */
final class ConcurrentModeCheck {
    private ConcurrentModeCheck() {
    }

    static void warnIfBlocked(MatviewRegistry registry, QualifiedName view, RefreshMode mode, Output output) {
        if (mode != RefreshMode.CONCURRENT) {
            return;
        }
        registry.discover().stream()
                .filter(found -> found.schemaName().equals(view.schema()) && found.viewName().equals(view.view()))
                .findFirst()
                .flatMap(DiscoveredView::concurrentRefreshBlocker)
                .ifPresent(reason -> output.warning(reason + "; refreshes of " + view + " fail until then"));
    }
}
