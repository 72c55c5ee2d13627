package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.collections.internal.query.DataVersions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Exact counts ({@code totalItems}) kept per version of a view's data, so that reading an unchanged view
 * again does not count its rows again: on a large view the count costs more than the rest of the read.
 *
 * <p>It reasons as {@link DataVersions} does: a materialized view's rows change only when it is refreshed, and
 * the registration records every refresh the library runs. So only a view with a registration that has had a
 * successful refresh has its counts kept; any other is counted at every read. A count is filed under
 * everything it depends on: the view's oid (dropped and created again), its relfilenode (changed by every
 * standard refresh, even one run outside the library), the registration's id and last successful refresh (a
 * CONCURRENTLY refresh keeps the relfilenode, but the library records when it ran; a failed one changes no
 * rows, so the counts survive it), and the count query's
 * text and bound values (the view and the filter; not the page, order, fields or format). The registration
 * is read in the same transaction as the count, so a count is never filed under a version newer than the
 * rows it counted.
 *
 * <p>The limits are those of {@link dev.ayb.matviews.collections.DataVersion}. A CONCURRENTLY refresh run outside the library changes none of that, so its
 * rows are counted anew only after the next refresh through the library. With session advisory locks (the
 * default) the library records a refresh in a statement of its own just after the REFRESH commits: a read
 * in between may get the count from before the refresh (transaction locks record it in the REFRESH's own
 * transaction, leaving no such window). A filter value naming a time relative to now ({@code 'today'},
 * {@code 'now'}...) means another time at every read, so its counts are not kept: the rule is
 * {@code CurrentTimeValues}, DataVersion's too.
 *
 * <p>Bounded, per {@code AybCollections}: at most {@value #MAX_ENTRIES} counts, the least recently used dropped first, and
 * none for a query longer than {@value #MAX_QUERY_CHARS} characters with its values, so large filters cannot
 * make it hold much memory. Thread-safe; a count runs outside the lock, so two reads missing at once both
 * count.
 */
public final class CountCache {
    static final int MAX_ENTRIES = 2048;
    static final int MAX_QUERY_CHARS = 2048;

    private final Map<Key, Long> counts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /**
     * The query's count: kept from an earlier read of the same data, or counted now.
     *
     * @param changesWithTime whether the query's filter names a time relative to now
     *                        ({@link dev.ayb.matviews.collections.internal.query.PageRequest#filterReadsCurrentTime})
     * @param counter         runs the count query, in the transaction that described the view
     */
    public long count(DescribedView view, Sql countQuery, boolean changesWithTime, ToLongFunction<Sql> counter) {
        Long kept = kept(view, countQuery, changesWithTime);
        if (kept != null) {
            return kept;
        }
        long count = counter.applyAsLong(countQuery);
        keep(view, countQuery, changesWithTime, count);
        return count;
    }

    /** The count kept for this version of the view's data and this query; null when there is none. */
    public @Nullable Long kept(DescribedView view, Sql countQuery, boolean changesWithTime) {
        Key key = changesWithTime ? null : keyOf(view, countQuery);
        if (key == null) {
            return null;
        }
        synchronized (counts) {
            return counts.get(key);
        }
    }

    /**
     * Keeps a count, if it may be kept, under the version it was counted in: the view and registration must
     * come from the count's own snapshot.
     */
    public void keep(DescribedView view, Sql countQuery, boolean changesWithTime, long count) {
        Key key = changesWithTime ? null : keyOf(view, countQuery);
        if (key != null) {
            synchronized (counts) {
                counts.put(key, count);
            }
        }
    }

    /** The count's version and query, or null when its count must not be kept. */
    private static Key keyOf(DescribedView view, Sql countQuery) {
        Registration registration = view.registration();
        if (!DataVersions.knowsLastChange(registration) || !keepable(countQuery)) {
            return null;
        }
        return new Key(view.shape().oid(), view.shape().relfilenode(), registration.id(),
                registration.lastSuccessAt(), countQuery.text(), countQuery.values());
    }

    private static boolean keepable(Sql countQuery) {
        int chars = countQuery.text().length();
        for (Object value : countQuery.values()) {
            if (value instanceof String text) {
                chars += text.length();
            }
        }
        return chars <= MAX_QUERY_CHARS;
    }

    private record Key(long oid, long relfilenode, UUID registrationId, Instant lastSuccessAt, String sql,
                       List<Object> values) {
        Key {
            values = List.copyOf(values);
        }
    }
}
