package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.Registration;
import java.util.Objects;

/**
 * What the catalog query found of a view, all from the read transaction's snapshot.
 *
 * @param registration the view's registration, or null when it has none
 */
record DescribedView(ViewShape shape, Registration registration) {
    DescribedView {
        Objects.requireNonNull(shape, "shape");
    }
}
