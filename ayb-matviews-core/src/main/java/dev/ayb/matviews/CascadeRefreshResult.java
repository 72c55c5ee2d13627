package dev.ayb.matviews;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A refresh of a view together with related views. The run stops at the first failure: the views
 * after it are reported as skipped.
 *
 * @param registration the requested view's registration as it is now (after its refresh, if it ran)
 * @param durationMs   the requested view's own refresh duration (0 when it did not run)
 * @param views        every view of the set, in the order they were (or would have been) refreshed
 * @param failure      the first failure, or null when every view was refreshed
 */
public record CascadeRefreshResult(Registration registration, long durationMs, List<ViewRefreshOutcome> views,
                                   @Nullable MatviewException failure) {
    public CascadeRefreshResult {
        Objects.requireNonNull(registration, "registration");
        views = List.copyOf(views);
    }

    public boolean succeeded() {
        return failure == null;
    }

    public Optional<MatviewException> firstFailure() {
        return Optional.ofNullable(failure);
    }
}
