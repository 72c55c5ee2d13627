package dev.ayb.matviews.collections.internal.query;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.DataVersion;
import java.util.Optional;

/** When a read has a {@link DataVersion}: the one rule behind an HTTP layer's validators and the kept counts. */
public final class DataVersions {
    private DataVersions() {
    }

    /**
     * @param registration the view's registration, or null when it has none
     * @param shape        the fingerprint of the view's columns and indexes the rows were read with
     * @return empty for a view whose registration does not tell when its rows changed, and for a request whose
     *         rows change with the current time ({@code seen < 'now'})
     */
    public static Optional<DataVersion> of(Registration registration, CollectionView view, String shape,
                                           PageRequest request) {
        if (!knowsLastChange(registration) || request.readsCurrentTime()) {
            return Optional.empty();
        }
        return Optional.of(new DataVersion(registration.id(), registration.lastSuccessAt(), view.oid(),
                view.relfilenode(), shape, request.cacheKey()));
    }

    /**
     * Whether the registration tells when the view's rows last changed: there is one, and a refresh of it has
     * succeeded ({@link Registration#lastSuccessAt}). A failed refresh since then does not matter: PostgreSQL
     * rolled it back, so the rows are those of the last success. {@code CountCache} keeps counts on the same
     * condition.
     *
     * @param registration the view's registration, or null when it has none
     */
    public static boolean knowsLastChange(Registration registration) {
        return registration != null && registration.lastSuccessAt() != null;
    }
}
