package dev.ayb.matviews.collections.internal.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.collections.CollectionQuery;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.DataVersion;
import dev.ayb.matviews.collections.Views;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When a read has a version (an HTTP layer's ETag and Last-Modified, the kept counts), and what it holds. */
class DataVersionsTest {
    private static final UUID ID = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
    private static final Instant REFRESHED = Instant.parse("2026-02-22T10:00:00.250Z");
    private static final PageRequest REQUEST = request(Map.of());
    private static final String SHAPE = "1:id:20,2:name:25/16402";

    /** The data is as of the start of a refresh that took 12 ms and ended at REFRESHED. */
    private static final Instant DATA_AS_OF = REFRESHED.minusMillis(12);

    /** Its last refresh ended at {@code refreshedAt} with {@code status}; its data is as of {@code lastSuccessAt}. */
    private static Registration registration(RefreshStatus status, Instant refreshedAt, Instant lastSuccessAt) {
        return new Registration(ID, "public", "leaderboard", RefreshMode.STANDARD, RefreshTimeouts.NONE, false,
                refreshedAt, status == null ? null : 12L, status, null, lastSuccessAt, REFRESHED.minusSeconds(60),
                REFRESHED);
    }

    private static Registration refreshed() {
        return registration(RefreshStatus.SUCCESS, REFRESHED, DATA_AS_OF);
    }

    private static PageRequest request(Map<String, String> parameters) {
        return PageRequest.parse(CollectionQuery.fromParameters(name -> Optional.ofNullable(parameters.get(name))),
                Views.LEADERBOARD);
    }

    @Test
    void theVersionIsTheRegistrationsLastSuccessfulRefreshTheViewsStorageAndTheQuery() {
        assertThat(DataVersions.of(refreshed(), Views.LEADERBOARD, SHAPE, REQUEST))
                .contains(new DataVersion(ID, DATA_AS_OF, Views.LEADERBOARD.oid(), Views.LEADERBOARD.relfilenode(),
                        SHAPE, REQUEST.cacheKey()));
    }

    @Test
    void withoutASuccessfulRefreshThereIsNoVersion() {
        assertThat(DataVersions.of(null, Views.LEADERBOARD, SHAPE, REQUEST)).isEmpty();
        assertThat(DataVersions.of(registration(null, null, null), Views.LEADERBOARD, SHAPE, REQUEST)).isEmpty();
        assertThat(DataVersions.of(registration(RefreshStatus.ERROR, REFRESHED, null), Views.LEADERBOARD, SHAPE, REQUEST))
                .isEmpty();
    }

    /** PostgreSQL rolls a failed refresh back, so the rows are still those of the last success. */
    @Test
    void aFailedRefreshSinceTheLastSuccessLeavesTheVersion() {
        Registration failedSince = registration(RefreshStatus.ERROR, REFRESHED.plusSeconds(60), DATA_AS_OF);

        assertThat(DataVersions.of(failedSince, Views.LEADERBOARD, SHAPE, REQUEST))
                .isEqualTo(DataVersions.of(refreshed(), Views.LEADERBOARD, SHAPE, REQUEST));
    }

    @Test
    void theVersionChangesWithTheRequestTheShapeAndWithAStandardRefreshOutsideTheLibrary() {
        Registration registration = refreshed();
        CollectionView rewritten = new CollectionView(Views.LEADERBOARD.name(), Views.LEADERBOARD.oid(), 99999, true,
                Views.LEADERBOARD.columns(), Views.LEADERBOARD.uniqueKey());
        DataVersion version = DataVersions.of(registration, Views.LEADERBOARD, SHAPE, REQUEST).orElseThrow();

        assertThat(DataVersions.of(registration, Views.LEADERBOARD, SHAPE, request(Map.of("page", "2"))))
                .get().isNotEqualTo(version);
        assertThat(DataVersions.of(registration, rewritten, SHAPE, REQUEST)).get().isNotEqualTo(version);
        assertThat(DataVersions.of(registration, Views.LEADERBOARD, "1:name:20,2:id:25/16402", REQUEST)).get()
                .isNotEqualTo(version);
    }

    @Test
    void aFilterNamingATimeRelativeToNowHasNoVersionWhileTextMerelyContainingTheWordsKeepsIt() {
        Registration registration = refreshed();

        for (String filter : List.of("seen < 'now'", "seen >= ' ToDay '", "seen < 'tomorrow 10:00'",
                "seen IN ('2026-01-01', 'YESTERDAY')", "id > 0 && (seen = '2026-01-01' || seen > 'nOw')")) {
            assertThat(DataVersions.of(registration, Views.LEADERBOARD, SHAPE, request(Map.of("filter", filter))))
                    .as(filter).isEmpty();
        }
        for (String filter : List.of("seen < '2026-01-01 10:00'", "seen > 'epoch'", "name = 'snow'",
                "name ~ 'today'")) {
            assertThat(DataVersions.of(registration, Views.LEADERBOARD, SHAPE, request(Map.of("filter", filter))))
                    .as(filter).isPresent();
        }
    }
}
