package dev.ayb.matviews.collections.internal.query;

import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.ValueKind;
import java.util.regex.Pattern;

/**
 * The one rule for "this request value means another time at every read": PostgreSQL reads
 * {@code now}, {@code today}, {@code tomorrow} and {@code yesterday} in a date or time value as the current
 * time (in any case, with any spacing, alone or inside a larger value such as {@code 'tomorrow 10:00'}, an
 * array {@code '{now}'} or a range {@code '[yesterday,today)'}). A filter with such a value selects other
 * rows as time passes although the view did not change, so neither its data version nor its count may be kept
 * ({@link DataVersions}, {@code CountCache}).
 *
 * <p>Deliberately wider than PostgreSQL's rule: the words are looked for anywhere in a value cast to any type
 * but a character string (where a value is only ever text), since a value that does not parse is refused
 * anyway and a value wrongly counted as time-dependent only costs a cache miss. Other date/time input is
 * constant: {@code epoch}, {@code infinity}, and zone-less times, which the read transaction pins to UTC
 * whatever the server's or pool's time zone.
 */
public final class CurrentTimeValues {
    private static final Pattern CURRENT_TIME = Pattern.compile("now|today|tomorrow|yesterday",
            Pattern.CASE_INSENSITIVE);

    private CurrentTimeValues() {
    }

    /** @param value a request value cast to the column's type (a filter value or a cursor key) */
    public static boolean readsCurrentTime(CollectionColumn column, String value) {
        return column.kind() != ValueKind.CHARACTER && CURRENT_TIME.matcher(value).find();
    }
}
