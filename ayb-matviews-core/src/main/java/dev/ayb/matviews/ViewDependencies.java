package dev.ayb.matviews;

import java.util.List;
import java.util.Objects;

/**
 * The materialized views related to one view, each list in refresh order.
 *
 * @param upstream   what the view reads from, directly or through plain views or other materialized views
 * @param downstream what reads from the view
 */
public record ViewDependencies(QualifiedName view, List<QualifiedName> upstream, List<QualifiedName> downstream) {
    public ViewDependencies {
        Objects.requireNonNull(view, "view");
        upstream = List.copyOf(upstream);
        downstream = List.copyOf(downstream);
    }
}
