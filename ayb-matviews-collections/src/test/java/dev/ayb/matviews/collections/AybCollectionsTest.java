package dev.ayb.matviews.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.FailedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine's public API on the sample schema: what an HTTP layer of one's own would call. */
class AybCollectionsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final QualifiedName LEADERBOARD = QualifiedName.parse("public.leaderboard");

    private AybMatviews matviews;
    private AybCollections collections;

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
        matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();
        collections = AybCollections.of(matviews);
    }

    @Test
    void aPageHoldsTheRequestedColumnsInTheRequestedOrderWithTotals() {
        CollectionPage page = collections.read(LEADERBOARD, CollectionQuery.builder().sort("-total_minutes")
                .fields("name", "total_minutes").build());

        assertThat(page.fields()).extracting(CollectionColumn::name).containsExactly("name", "total_minutes");
        assertThat(page.rows()).containsExactly(List.of("ann", 75L), List.of("bob", 20L));
        assertThat(page.totalItems()).isEqualTo(2);
        assertThat(page.totalPages()).isEqualTo(1);
        assertThat(page.cursorPaging()).isTrue();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void theNextPageContinuesFromTheCursor() {
        CollectionQuery.Builder byName = CollectionQuery.builder().sort("name").fields("name").perPage(1);
        CollectionPage first = collections.read(LEADERBOARD, byName.build());

        CollectionPage second = collections.read(LEADERBOARD, byName.after(first.nextCursor()).build());

        assertThat(first.rows()).containsExactly(List.of("ann"));
        assertThat(second.page()).isEqualTo(2);
        assertThat(second.rows()).containsExactly(List.of("bob"));
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void describeAndCountSeeTheViewAsItIs() {
        CollectionView view = collections.describe(LEADERBOARD).orElseThrow();

        assertThat(view.columns()).extracting(CollectionColumn::name)
                .containsExactly("id", "name", "workout_count", "total_minutes");
        assertThat(view.uniqueKey()).extracting(key -> key.column().name()).containsExactly("id");
        assertThat(collections.describe(QualifiedName.parse("public.users"))).isEmpty();
        assertThat(collections.count(LEADERBOARD, "total_minutes > 30")).isEqualTo(1);
        assertThat(collections.count(LEADERBOARD, null)).isEqualTo(2);
    }

    @Test
    void aRefreshedRegisteredViewHasAVersionThatChangesWithTheNextRefresh() {
        assertThat(version()).isEmpty();
        matviews.registry().register(LEADERBOARD);
        matviews.refreshes().refresh("public.leaderboard");
        DataVersion refreshed = version().orElseThrow();

        assertThat(version()).contains(refreshed);
        assertThat(refreshed.registrationId()).isEqualTo(matviews.registry().get("public.leaderboard").id());
        matviews.refreshes().refresh("public.leaderboard");
        assertThat(version()).get().isNotEqualTo(refreshed);
    }

    @Test
    void aFailedRefreshLeavesTheVersion() {
        matviews.registry().register(LEADERBOARD);
        matviews.refreshes().refresh("public.leaderboard");
        DataVersion refreshed = version().orElseThrow();

        FailedRefresh.run(PG, matviews.registry(), matviews.refreshes(), "public.leaderboard", "public.workouts");

        assertThat(version()).contains(refreshed);
        assertThat(refreshed.lastSuccessAt()).isEqualTo(matviews.registry().get("public.leaderboard").lastSuccessAt());
    }

    /** The version asked without reading rows, checked against the one read with the rows. */
    private Optional<DataVersion> version() {
        PageRead read = collections.prepare(LEADERBOARD, CollectionQuery.firstPage());
        Optional<DataVersion> version = read.version();
        assertThat(read.read().dataVersion()).isEqualTo(version);
        return version;
    }

    @Test
    void refusalsAreMatviewExceptionsWithTheirCodes() {
        assertThat(refusal(QualifiedName.parse("public.users"), CollectionQuery.firstPage()))
                .isEqualTo(ErrorCode.VIEW_NOT_FOUND);
        assertThat(refusal(LEADERBOARD, CollectionQuery.builder().filter("nope = 1").build()))
                .isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(refusal(LEADERBOARD, CollectionQuery.builder().sort("nope").build()))
                .isEqualTo(ErrorCode.INVALID_SORT);
        assertThat(refusal(LEADERBOARD, CollectionQuery.builder().fields("nope").build()))
                .isEqualTo(ErrorCode.INVALID_FIELDS);
        assertThat(refusal(LEADERBOARD, CollectionQuery.builder().after("nope").build()))
                .isEqualTo(ErrorCode.INVALID_CURSOR);
        assertThat(refusal(LEADERBOARD, CollectionQuery.builder().perPage(501).build()))
                .isEqualTo(ErrorCode.INVALID_PARAMETER);
        assertThat(refusal(LEADERBOARD, CollectionQuery.builder().filter("id = 99999999999999999999").build()))
                .isEqualTo(ErrorCode.INVALID_VALUE);
        PG.execute("REFRESH MATERIALIZED VIEW leaderboard WITH NO DATA");
        assertThat(refusal(LEADERBOARD, CollectionQuery.firstPage())).isEqualTo(ErrorCode.VIEW_NOT_POPULATED);
    }

    private ErrorCode refusal(QualifiedName view, CollectionQuery query) {
        try {
            collections.read(view, query);
        } catch (MatviewException e) {
            return e.code();
        }
        throw new AssertionError("read " + view);
    }

    @Test
    void theStatementTimeoutIsOneOfPostgresqls() {
        for (Duration timeout : new Duration[] {null, Duration.ZERO, Duration.ofMillis(-1),
                Duration.ofMillis(Integer.MAX_VALUE + 1L)}) {
            assertThatThrownBy(() -> AybCollections.of(matviews, timeout)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the statement timeout must be between 1 ms and 2147483647 ms (PostgreSQL's limit)");
        }
        assertThat(AybCollections.of(matviews).statementTimeout()).isEqualTo(AybCollections.DEFAULT_STATEMENT_TIMEOUT);
    }
}
