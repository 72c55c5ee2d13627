package dev.ayb.matviews;

import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of the registrations: which page, how many per page, an optional filter and an order. The filter
 * is one text: it matches a view whose {@code schema.view} contains it (case-insensitively, {@code %} and
 * {@code _} taken literally), or whose refresh mode ({@code standard}, {@code concurrent}) or last status
 * ({@code success}, {@code error}, {@code skipped}, {@code never}) it names.
 *
 * @param filter null or blank for every registration
 */
public record RegistrationQuery(int page, int perPage, @Nullable String filter, RegistrationSort sort,
                                boolean descending) {
    public static final int DEFAULT_PER_PAGE = 50;
    public static final int MAX_PER_PAGE = 500;
    /** Longer is no name a view can have ({@code schema.view}, 63 bytes each) and only costs the database. */
    public static final int MAX_FILTER_LENGTH = 200;
    /** The status filter word for a view that was never refreshed (its status is null). */
    public static final String NEVER = "never";

    /** @throws MatviewException {@link ErrorCode#INVALID_ARGUMENT} naming the parameter that is out of range */
    public RegistrationQuery {
        Objects.requireNonNull(sort, "sort");
        if (page < 1) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT,
                    "page must be an integer between 1 and " + Integer.MAX_VALUE);
        }
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT,
                    "perPage must be an integer between 1 and " + MAX_PER_PAGE);
        }
        filter = filter == null || filter.isBlank() ? null : filter.strip();
        if (filter != null && filter.length() > MAX_FILTER_LENGTH) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT,
                    "filter must be at most " + MAX_FILTER_LENGTH + " characters");
        }
    }

    /** The first page of {@value #DEFAULT_PER_PAGE}, unfiltered, by schema then view. */
    public static RegistrationQuery firstPage() {
        return new RegistrationQuery(1, DEFAULT_PER_PAGE, null, RegistrationSort.SCHEMA_NAME, false);
    }

    /** Rows to skip before this page; a long, since page × perPage can pass an int. */
    public long offset() {
        return (long) (page - 1) * perPage;
    }

    /** The filter as a case-insensitive {@code LIKE} pattern with {@code \} as escape: contains, literally. */
    public @Nullable String likePattern() {
        if (filter == null) {
            return null;
        }
        return "%" + filter.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** The filter lower-cased, to compare with a mode or status word. */
    public @Nullable String word() {
        return filter == null ? null : filter.toLowerCase(Locale.ROOT);
    }

    /** The same rule as the SQL stores run, in memory (see {@link dev.ayb.matviews.spi.RegistrationStore}). */
    public boolean matches(Registration registration) {
        if (filter == null) {
            return true;
        }
        String word = word();
        String status = registration.lastRefreshStatus() == null ? NEVER : registration.lastRefreshStatus().wireName();
        return registration.qualifiedName().toString().toLowerCase(Locale.ROOT).contains(word)
                || registration.refreshMode().wireName().equals(word) || status.equals(word);
    }
}
