package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.collections.CollectionView;
import java.util.Objects;

/**
 * What the catalog query found of a view, all from one snapshot.
 *
 * @param registration the view's registration, or null when it has none
 * @param fingerprint  the shape's {@link ShapeFingerprint}, which a later read compares with its own
 */
public record DescribedView(CollectionView shape, Registration registration, String fingerprint) {
    public DescribedView {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** A view whose fingerprint does not matter (the count cache's tests). */
    public DescribedView(CollectionView shape, Registration registration) {
        this(shape, registration, "");
    }
}
