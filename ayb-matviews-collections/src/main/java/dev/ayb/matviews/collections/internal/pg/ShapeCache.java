package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.QualifiedName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The shape of each view read lately (columns, types, unique key), so that a read need not ask the catalog
 * first: the read checks it from its own statement ({@link ShapeFingerprint}) and learns it again when it
 * changed. With it is kept what the last read saw of the view's state (storage, registration), from which the
 * next read guesses whether its count is already kept.
 *
 * <p>Bounded: past {@value #MAX_VIEWS} views it starts afresh, which costs each view one catalog query.
 */
public final class ShapeCache {
    static final int MAX_VIEWS = 1024;

    private final Map<QualifiedName, DescribedView> views = new ConcurrentHashMap<>();

    public @Nullable DescribedView get(QualifiedName view) {
        return views.get(view);
    }

    public void put(DescribedView described) {
        if (views.size() >= MAX_VIEWS && !views.containsKey(described.shape().name())) {
            views.clear();
        }
        views.put(described.shape().name(), described);
    }

    public void forget(QualifiedName view) {
        views.remove(view);
    }
}
