package dev.ayb.matviews;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The orders a page of registrations can be read in, by the registration's wire field name. Each key is a
 * fixed column of the registrations table, so a caller's sort text picks one of these and never reaches SQL.
 * Views never refreshed sort last in either direction (the interesting ones first); ties keep the
 * schema-then-view order.
 */
public enum RegistrationSort {
    SCHEMA_NAME("schemaName", Registration::schemaName),
    VIEW_NAME("viewName", Registration::viewName),
    REFRESH_MODE("refreshMode", r -> r.refreshMode().wireName()),
    LAST_REFRESH_STATUS("lastRefreshStatus", r -> r.lastRefreshStatus() == null ? null : r.lastRefreshStatus().wireName()),
    LAST_REFRESH_AT("lastRefreshAt", Registration::lastRefreshAt),
    LAST_REFRESH_DURATION_MS("lastRefreshDurationMs", Registration::lastRefreshDurationMs),
    LAST_SUCCESS_AT("lastSuccessAt", Registration::lastSuccessAt);

    private final String wireName;
    private final Function<Registration, ? extends Comparable<?>> key;

    RegistrationSort(String wireName, Function<Registration, ? extends Comparable<?>> key) {
        this.wireName = wireName;
        this.key = key;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws MatviewException {@link ErrorCode#INVALID_ARGUMENT} naming the keys there are */
    public static RegistrationSort fromWire(String text) {
        for (RegistrationSort sort : values()) {
            if (sort.wireName.equals(text)) {
                return sort;
            }
        }
        throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "sort must be one of "
                + Arrays.stream(values()).map(RegistrationSort::wireName).collect(Collectors.joining(", "))
                + " (with a leading '-' for descending order)");
    }

    /**
     * The same order in memory, for a store without a query language: nulls last either way, then schema and
     * view.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Comparator<Registration> comparator(boolean descending) {
        Comparator<Comparable> natural = Comparator.naturalOrder();
        Comparator<Registration> primary = Comparator.comparing(r -> (Comparable) key.apply(r),
                Comparator.nullsLast(descending ? natural.reversed() : natural));
        return primary.thenComparing(Registration::schemaName).thenComparing(Registration::viewName);
    }
}
