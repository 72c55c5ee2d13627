package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.FailedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The statements a read sends: one, holding the rows, the registration, the view's state and, once per refresh
 * of a registered view and filter, the count; the catalog query only when the view's shape is not known yet.
 * Counted on the data source the servlet reads through.
 */
class CollectionCountCacheApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private RecordingDataSource recorder;
    private CollectionsApi api;

    @BeforeEach
    void start() {
        CollectionSchema.create(PG);
        recorder = new RecordingDataSource(PG.dataSource());
        api = CollectionsApi.start(AybMatviews.builder().dataSource(recorder).build());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** One read and the statements it sent. */
    private record Read(Reply reply, List<String> statements) {
        boolean counted() {
            return statements.stream().anyMatch(sql -> sql.contains("(SELECT count(*) FROM"));
        }

        long totalItems() {
            return reply.json().get("totalItems").asLong();
        }
    }

    private Read read(String view, String... params) {
        recorder.clear();
        Reply reply = api.get(view, params);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return new Read(reply, recorder.statements());
    }

    private void insertPlayers(int count) {
        PG.execute("INSERT INTO players SELECT g, 'player ' || g, 1, NULL FROM generate_series("
                + (CollectionSchema.PLAYERS + 1) + ", " + (CollectionSchema.PLAYERS + count) + ") g");
    }

    @Test
    void aSecondReadOfAnUnchangedRegisteredViewRunsNoCount() {
        api.registerAndRefresh("public.scores", RefreshMode.STANDARD);

        Read first = read("scores");
        Read second = read("scores");

        assertThat(first.counted()).isTrue();
        assertThat(second.counted()).isFalse();
        assertThat(second.totalItems()).isEqualTo(first.totalItems()).isEqualTo(CollectionSchema.PLAYERS);
        assertThat(second.reply().json().get("totalPages").asLong()).isEqualTo(CollectionSchema.PLAYERS / 20);
    }

    /**
     * Settings, registration, the view's state and the rows in one statement, the count in it once per refresh;
     * the catalog query only the first time the view is read. Before, every read was a catalog query and the rows.
     */
    @Test
    void aReadIsOneStatementWithTheCountOncePerRefreshAndTheCatalogQueryOnlyTheFirstTime() {
        api.registerAndRefresh("public.scores", RefreshMode.STANDARD);

        Read first = read("scores");
        Read kept = read("scores", "page", "2");

        assertThat(first.statements()).hasSize(2);
        assertThat(first.statements().get(0)).contains("pg_catalog.pg_attribute a");
        assertThat(first.counted()).isTrue();
        assertThat(kept.statements()).hasSize(1);
        assertThat(kept.statements().get(0)).contains("pg_catalog.set_config").contains(".matview_registrations")
                .contains("FROM \"public\".\"scores\"").doesNotContain("count(*)");
        assertThat(kept.reply().header("ETag")).isNotNull();
    }

    @Test
    void aStandardRefreshThroughTheLibraryIsCountedAgain() {
        api.registerAndRefresh("public.scores", RefreshMode.STANDARD);
        read("scores");
        insertPlayers(5);
        api.matviews().refreshes().refresh("public.scores");

        Read afterRefresh = read("scores");
        Read again = read("scores");

        assertThat(afterRefresh.counted()).isTrue();
        assertThat(afterRefresh.totalItems()).isEqualTo(CollectionSchema.PLAYERS + 5);
        assertThat(again.counted()).isFalse();
        assertThat(again.totalItems()).isEqualTo(CollectionSchema.PLAYERS + 5);
    }

    /** CONCURRENTLY keeps the relfilenode: the refresh time the library records is what tells. */
    @Test
    void aConcurrentRefreshThroughTheLibraryIsCountedAgain() {
        api.registerAndRefresh("public.scores", RefreshMode.CONCURRENT);
        read("scores");
        insertPlayers(7);
        api.matviews().refreshes().refresh("public.scores");

        Read afterRefresh = read("scores");

        assertThat(afterRefresh.counted()).isTrue();
        assertThat(afterRefresh.totalItems()).isEqualTo(CollectionSchema.PLAYERS + 7);
        assertThat(read("scores").counted()).isFalse();
    }

    /** PostgreSQL rolls a failed refresh back, so the rows, and the count kept for them, are still current. */
    @Test
    void aFailedRefreshKeepsTheCount() {
        api.registerAndRefresh("public.scores", RefreshMode.CONCURRENT);
        read("scores");
        insertPlayers(4);
        FailedRefresh.run(PG, api.matviews().registry(), api.matviews().refreshes(), "public.scores",
                "public.players");

        Read afterFailure = read("scores");

        assertThat(api.matviews().registry().get("public.scores").lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(afterFailure.counted()).isFalse();
        assertThat(afterFailure.totalItems()).isEqualTo(CollectionSchema.PLAYERS);
    }

    @Test
    void aStandardRefreshOutsideTheLibraryIsCountedAgain() {
        api.registerAndRefresh("public.scores", RefreshMode.STANDARD);
        read("scores");
        insertPlayers(3);
        PG.execute("REFRESH MATERIALIZED VIEW scores");

        Read afterRefresh = read("scores");

        assertThat(afterRefresh.counted()).isTrue();
        assertThat(afterRefresh.totalItems()).isEqualTo(CollectionSchema.PLAYERS + 3);
    }

    @Test
    void eachFilterHasItsOwnCountButPagesSortsAndFieldsShareIt() {
        api.registerAndRefresh("public.scores", RefreshMode.STANDARD);

        Read high = read("scores", "filter", "points >= 50");
        Read low = read("scores", "filter", "points < 50");
        Read highAgain = read("scores", "filter", "points >= 50", "page", "3", "perPage", "7", "sort", "-points",
                "fields", "id,name");
        Read lowAgain = read("scores", "filter", "points < 50");

        assertThat(high.counted()).isTrue();
        assertThat(low.counted()).isTrue();
        assertThat(highAgain.counted()).isFalse();
        assertThat(lowAgain.counted()).isFalse();
        assertThat(high.totalItems() + low.totalItems()).isEqualTo(CollectionSchema.PLAYERS);
        assertThat(highAgain.totalItems()).isEqualTo(high.totalItems());
        assertThat(lowAgain.totalItems()).isEqualTo(low.totalItems());
        assertThat(high.totalItems()).isEqualTo(PG.queryLong("SELECT count(*) FROM scores WHERE points >= 50"));
    }

    @Test
    void aViewThatIsNotRegisteredIsCountedAtEveryRead() {
        Read first = read("scores");
        insertPlayers(2);
        PG.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY scores");
        Read second = read("scores");

        assertThat(first.counted()).isTrue();
        assertThat(second.counted()).isTrue();
        assertThat(second.totalItems()).isEqualTo(CollectionSchema.PLAYERS + 2);
    }

    @Test
    void aViewNeverRefreshedSuccessfullyIsCountedAtEveryRead() {
        api.matviews().registry().register(QualifiedName.parse("public.unindexed"), RefreshMode.CONCURRENT);
        // CONCURRENTLY needs a unique index: the failure is recorded.
        assertThatThrownBy(() -> api.matviews().refreshes().refresh("public.unindexed"))
                .isInstanceOf(MatviewException.class);
        assertThat(api.matviews().registry().get("public.unindexed").lastRefreshStatus())
                .isEqualTo(RefreshStatus.ERROR);

        Read first = read("unindexed", "perPage", "1");
        Read second = read("unindexed", "perPage", "1");

        assertThat(first.counted()).isTrue();
        assertThat(second.counted()).isTrue();
        assertThat(second.totalItems()).isEqualTo(2);
    }

    @Test
    void theRegistrationIsReadFromTheLibrarysConfiguredSchema() {
        api.close();
        api = CollectionsApi.start(AybMatviews.builder().dataSource(recorder).schema("other").build());
        api.registerAndRefresh("public.scores", RefreshMode.STANDARD);

        Read first = read("scores");
        Read second = read("scores");

        String id = api.matviews().registry().get("public.scores").id().toString();
        assertThat(first.reply().header("ETag")).startsWith("W/\"" + id + "-");
        assertThat(second.statements().get(0)).contains("\"other\".matview_registrations");
        assertThat(second.counted()).isFalse();
    }
}
