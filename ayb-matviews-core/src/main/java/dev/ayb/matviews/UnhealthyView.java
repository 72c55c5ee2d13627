package dev.ayb.matviews;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A registered view that makes a {@link HealthReport} unhealthy, with what an operator needs to act on it.
 *
 * @param problems         never empty
 * @param lastRefreshError the failing refresh's error; null unless {@link HealthProblem#FAILING}
 * @param behindSince      when the first change the view has not seen was made (for a view with a target whose
 *                         changes are not tracked, its last successful refresh); null unless
 *                         {@link HealthProblem#BEHIND} or {@link HealthProblem#TARGET_MISSED}
 */
public record UnhealthyView(UUID id, QualifiedName view, Set<HealthProblem> problems, @Nullable Instant lastRefreshAt,
                            @Nullable String lastRefreshError, @Nullable Instant behindSince) {
    public UnhealthyView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(view, "view");
        problems = Set.copyOf(problems);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an unhealthy view has at least one problem");
        }
    }
}
