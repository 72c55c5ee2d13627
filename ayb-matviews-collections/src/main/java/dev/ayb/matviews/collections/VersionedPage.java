package dev.ayb.matviews.collections;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A page with what its statement said of the data it was read from, all from that one snapshot.
 *
 * @param version     the version of the data for validators (ETag), or null when nothing tells when the rows
 *                    changed ({@link DataVersion})
 * @param dataAsOf    when the rows were computed: the start of the registration's last successful refresh,
 *                    or null for a view without one. Known even when the query names the current time and so
 *                    has no version
 * @param fromReplica whether a replica answered ({@link ReadReplica}), rather than the primary
 */
public record VersionedPage(CollectionPage page, @Nullable DataVersion version, @Nullable Instant dataAsOf,
                            boolean fromReplica) {
    public Optional<DataVersion> dataVersion() {
        return Optional.ofNullable(version);
    }
}
