package dev.ayb.matviews;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a registered view, on this instance or any other sharing the database: a refresh
 * was recorded ({@link Kind#REFRESH}), or, with change tracking on, a write to a source made the view behind
 * ({@link Kind#BEHIND}).
 *
 * <p>{@code id} orders events: a refresh event's id is its run's id in the history, so a subscriber that saw
 * event {@code n} can ask for what came after it ({@link RefreshEvents#replay}). A behind event is a state, not
 * a history row: it carries the id of the newest refresh event before it, and is not replayed.
 *
 * @param status        the run's outcome; null for a behind event
 * @param lastRefreshAt the registration's {@code lastRefreshAt} when the event was read (null before any)
 * @param lastSuccessAt the registration's {@code lastSuccessAt} when the event was read (null before any)
 * @param durationMs    the run's duration; 0 for a behind event
 * @param behindSince   when the view's sources first changed since its last refresh; null for a refresh event
 */
public record RefreshEvent(
        long id,
        Kind kind,
        QualifiedName view,
        @Nullable RefreshStatus status,
        @Nullable Instant lastRefreshAt,
        @Nullable Instant lastSuccessAt,
        long durationMs,
        @Nullable Instant behindSince) {

    public enum Kind {
        REFRESH,
        BEHIND;

        /** The event name on the wire ({@code refresh}, {@code behind}). */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RefreshEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(view, "view");
        if (kind == Kind.REFRESH) {
            Objects.requireNonNull(status, "status");
        }
    }

    public static RefreshEvent refresh(long id, QualifiedName view, RefreshStatus status,
                                       @Nullable Instant lastRefreshAt, @Nullable Instant lastSuccessAt,
                                       long durationMs) {
        return new RefreshEvent(id, Kind.REFRESH, view, status, lastRefreshAt, lastSuccessAt, durationMs, null);
    }

    public static RefreshEvent behind(long id, QualifiedName view, @Nullable Instant lastRefreshAt,
                                      @Nullable Instant lastSuccessAt, Instant behindSince) {
        return new RefreshEvent(id, Kind.BEHIND, view, null, lastRefreshAt, lastSuccessAt, 0,
                Objects.requireNonNull(behindSince, "behindSince"));
    }

    /** A refresh asked "only if changed" that found the view current, and so did not run. */
    public boolean skipped() {
        return status == RefreshStatus.SKIPPED;
    }
}
