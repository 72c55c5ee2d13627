package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.collections.CollectionView;
import java.util.Objects;

/**
 * What the catalog query found of a view, all from the read transaction's snapshot.
 *
 * @param registration the view's registration, or null when it has none
 */
public record DescribedView(CollectionView shape, Registration registration) {
    public DescribedView {
        Objects.requireNonNull(shape, "shape");
    }
}
