package dev.ayb.matviews.collections.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.collections.CollectionQuery;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.Views;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a kept count is filed under, and when a count is not kept at all. */
class CountCacheTest {
    private static final UUID ID = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final Instant REFRESHED = Instant.parse("2026-02-22T10:00:00.250Z");
    private static final CollectionView SHAPE = Views.LEADERBOARD;
    private static final DescribedView REFRESHED_VIEW = new DescribedView(SHAPE, refreshed(ID, REFRESHED));

    private final CountCache cache = new CountCache();
    private final List<String> counted = new ArrayList<>();

    /** Its last refresh ended at {@code refreshedAt} with {@code status}; its data is as of {@code lastSuccessAt}. */
    private static Registration registration(UUID id, RefreshStatus status, Instant refreshedAt,
                                             Instant lastSuccessAt) {
        return new Registration(id, "public", "leaderboard", RefreshMode.STANDARD, RefreshTimeouts.NONE, false,
                refreshedAt, status == null ? null : 12L, status, null, lastSuccessAt, REFRESHED.minusSeconds(60),
                REFRESHED);
    }

    /** Its last refresh took 12 ms, ended at {@code refreshedAt} and succeeded. */
    private static Registration refreshed(UUID id, Instant refreshedAt) {
        return registration(id, RefreshStatus.SUCCESS, refreshedAt, refreshedAt.minusMillis(12));
    }

    /** A count query, and whether its filter names a time relative to now, as a read passes them. */
    private record Query(Sql sql, boolean changesWithTime) {
        String text() {
            return sql.text();
        }
    }

    /** The count query of a request with these parameters (name, value pairs). */
    private static Query countQuery(String... params) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            values.put(params[i], params[i + 1]);
        }
        PageRequest request = PageRequest.parse(
                CollectionQuery.fromParameters(name -> Optional.ofNullable(values.get(name))), SHAPE);
        return new Query(PageQuery.count(SHAPE, request), request.filterReadsCurrentTime());
    }

    /** Counts through the cache; a count actually run answers how many have run so far. */
    private long count(DescribedView view, Query query) {
        return cache.count(view, query.sql(), query.changesWithTime(), sql -> {
            counted.add(sql.text());
            return counted.size();
        });
    }

    @Test
    void theSameDataAndFilterIsCountedOnceWhateverThePageOrderFieldsOrFormat() {
        long first = count(REFRESHED_VIEW, countQuery("filter", "points > 5"));

        long again = count(REFRESHED_VIEW, countQuery("filter", "points > 5", "page", "3", "perPage", "7",
                "sort", "-name", "fields", "id,name", "format", "csv", "skipTotal", "false"));

        assertThat(counted).hasSize(1);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void eachFilterHasItsOwnCount() {
        count(REFRESHED_VIEW, countQuery());
        count(REFRESHED_VIEW, countQuery("filter", "points > 5"));
        count(REFRESHED_VIEW, countQuery("filter", "points > 6"));
        count(REFRESHED_VIEW, countQuery("filter", "name = 'ann'"));

        assertThat(count(REFRESHED_VIEW, countQuery("filter", "points > 6"))).isEqualTo(3);
        assertThat(count(REFRESHED_VIEW, countQuery())).isEqualTo(1);
        assertThat(counted).hasSize(4);
    }

    @Test
    void anyChangeOfTheDatasVersionIsCountedAgain() {
        count(REFRESHED_VIEW, countQuery());

        count(new DescribedView(shape(SHAPE.oid(), SHAPE.relfilenode() + 1), REFRESHED_VIEW.registration()),
                countQuery());
        count(new DescribedView(shape(SHAPE.oid() + 1, SHAPE.relfilenode()), REFRESHED_VIEW.registration()),
                countQuery());
        count(new DescribedView(SHAPE, refreshed(ID, REFRESHED.plusMillis(1))), countQuery());
        count(new DescribedView(SHAPE, refreshed(UUID.randomUUID(), REFRESHED)), countQuery());

        assertThat(counted).hasSize(5);
    }

    @Test
    void withoutASuccessfulRefreshEveryReadIsCounted() {
        for (DescribedView view : List.of(new DescribedView(SHAPE, null),
                new DescribedView(SHAPE, registration(ID, null, null, null)),
                new DescribedView(SHAPE, registration(ID, RefreshStatus.ERROR, REFRESHED, null)))) {
            count(view, countQuery());
            count(view, countQuery());
        }

        assertThat(counted).hasSize(6);
    }

    /** PostgreSQL rolls a failed refresh back: the rows, and so their count, are still the last success's. */
    @Test
    void aFailedRefreshSinceTheLastSuccessKeepsTheCount() {
        long first = count(REFRESHED_VIEW, countQuery());
        Registration failedSince = registration(ID, RefreshStatus.ERROR, REFRESHED.plusSeconds(60),
                REFRESHED_VIEW.registration().lastSuccessAt());

        assertThat(count(new DescribedView(SHAPE, failedSince), countQuery())).isEqualTo(first);
        assertThat(counted).hasSize(1);
    }

    @Test
    void aFilterValueRelativeToNowIsCountedAtEveryRead() {
        for (String filter : List.of("seen < 'now'", "seen >= 'Today'", "seen IN ('2026-01-01', 'yesterday')")) {
            count(REFRESHED_VIEW, countQuery("filter", filter));
            count(REFRESHED_VIEW, countQuery("filter", filter));
        }
        count(REFRESHED_VIEW, countQuery("filter", "seen < '2026-01-01'"));
        count(REFRESHED_VIEW, countQuery("filter", "seen < '2026-01-01'"));

        assertThat(counted).hasSize(7);
    }

    @Test
    void textThatMerelyContainsTheWordsForNowIsCountedOnce() {
        count(REFRESHED_VIEW, countQuery("filter", "name = 'snow' || name ~ 'today'"));
        count(REFRESHED_VIEW, countQuery("filter", "name = 'snow' || name ~ 'today'"));

        assertThat(counted).hasSize(1);
    }

    @Test
    void aQueryTooLongToKeepIsCountedAtEveryRead() {
        // Each value is a placeholder cast to the column's type, so the query outgrows the (bounded) filter.
        String filter = IntStream.range(0, 2).mapToObj(list -> IntStream.range(list * 100, list * 100 + 100)
                .mapToObj(Integer::toString).collect(Collectors.joining(",", "id IN (", ")")))
                .collect(Collectors.joining(" || "));
        Query longest = countQuery("filter", filter);

        count(REFRESHED_VIEW, longest);
        count(REFRESHED_VIEW, longest);

        assertThat(counted).hasSize(2);
    }

    @Test
    void whenFullTheLeastRecentlyUsedCountGoesFirst() {
        for (int i = 0; i < CountCache.MAX_ENTRIES; i++) {
            count(REFRESHED_VIEW, countQuery("filter", "id = " + i));
        }
        count(REFRESHED_VIEW, countQuery("filter", "id = 0"));

        count(REFRESHED_VIEW, countQuery("filter", "id = " + CountCache.MAX_ENTRIES));
        int filled = counted.size();
        count(REFRESHED_VIEW, countQuery("filter", "id = 0"));
        count(REFRESHED_VIEW, countQuery("filter", "id = 1"));

        assertThat(filled).isEqualTo(CountCache.MAX_ENTRIES + 1);
        assertThat(counted).hasSize(filled + 1).last().isEqualTo(countQuery("filter", "id = 1").text());
    }

    private static CollectionView shape(long oid, long relfilenode) {
        return new CollectionView(SHAPE.name(), oid, relfilenode, true, SHAPE.columns(), SHAPE.uniqueKey());
    }
}
