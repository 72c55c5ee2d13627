package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import dev.ayb.matviews.testkit.http.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page of unchanged data is answered again as it was written, headers included, by a statement that reads
 * the view's state alone; a new version of the data (a refresh, a column renamed) is read and written anew.
 */
class CollectionPageCacheApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    /** Only the statement of a read that reads rows selects them from this subquery. */
    private static final String READS_ROWS = ") AS stored";

    private RecordingDataSource recorder;
    private CollectionsApi api;

    @BeforeEach
    void start() {
        CollectionSchema.create(PG);
        PG.execute("DROP MATERIALIZED VIEW IF EXISTS pair",
                "CREATE MATERIALIZED VIEW pair AS SELECT g AS id, g * 10 AS a, g * 100 AS b FROM generate_series(1, 3) g",
                "CREATE UNIQUE INDEX pair_id ON pair (id)");
        recorder = new RecordingDataSource(PG.dataSource());
        api = CollectionsApi.start(AybMatviews.builder().dataSource(recorder).build());
        api.registerAndRefresh("public.leaderboard", RefreshMode.STANDARD);
        api.registerAndRefresh("public.pair", RefreshMode.STANDARD);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anUnchangedPageIsAnsweredAgainAsWrittenWithoutReadingItsRows() {
        Reply first = api.get("leaderboard", "perPage", "1");
        recorder.clear();

        Reply again = api.get("leaderboard", "perPage", "1");

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        for (String header : List.of("ETag", "Last-Modified", "X-Data-As-Of", "Cache-Control", "Content-Length")) {
            assertThat(again.header(header)).as(header).isEqualTo(first.header(header));
        }
        assertThat(recorder.statements()).hasSize(1);
        assertThat(recorder.firstContaining(READS_ROWS)).isNull();
    }

    /** The revalidation's own statement tells the version: a kept answer of it needs no second one. */
    @Test
    void aClientWithAnOlderVersionGetsTheKeptAnswerAfterOneStatement() {
        Reply old = api.get("leaderboard", "perPage", "1");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 100)");
        api.matviews().refreshes().refresh("public.leaderboard");
        Reply current = api.get("leaderboard", "perPage", "1");
        recorder.clear();

        Reply revalidated = api.get("leaderboard", Map.of("If-None-Match", old.header("ETag")), "perPage", "1");

        assertThat(revalidated.status()).isEqualTo(200);
        assertThat(revalidated.body()).isEqualTo(current.body()).contains("\"total_minutes\":175");
        assertThat(revalidated.header("ETag")).isEqualTo(current.header("ETag"));
        assertThat(recorder.statements()).hasSize(1);
        assertThat(recorder.firstContaining(READS_ROWS)).isNull();
    }

    @Test
    void csvAnswersKeepTheirTotalsAndCursorHeadersWhenAnsweredAgain() {
        Reply first = api.get("leaderboard", "perPage", "1", "format", "csv");

        Reply again = api.get("leaderboard", "perPage", "1", "format", "csv");

        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.header("X-Total-Items")).isEqualTo("2");
        assertThat(again.header("X-Next-Cursor")).isNotNull().isEqualTo(first.header("X-Next-Cursor"));
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"))
                .isNotEqualTo(api.get("leaderboard", "perPage", "1").header("ETag"));
    }

    @Test
    void headAfterGetAnswersTheSameHeadersWithoutABody() {
        Reply get = api.get("leaderboard");

        Reply head = api.head("leaderboard");

        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(get.header("Content-Length"));
        assertThat(head.header("ETag")).isEqualTo(get.header("ETag"));
    }

    @Test
    void aRefreshServesTheNewRowsUnderANewEtag() {
        Reply before = api.get("leaderboard");
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");
        api.matviews().refreshes().refresh("public.leaderboard", RefreshMode.CONCURRENT);

        Reply after = api.get("leaderboard");

        assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag"));
        assertThat(after.body()).isNotEqualTo(before.body()).contains("\"total_minutes\":120");
    }

    /** No row changes and no refresh runs, yet the name {@code a} reads other values: a new version. */
    @Test
    void columnsSwappedByRenamingAreServedAsTheyAreNowUnderANewEtag() {
        Reply before = api.get("pair", "fields", "id,a", "perPage", "1");

        PG.execute("ALTER MATERIALIZED VIEW pair RENAME COLUMN a TO swapping",
                "ALTER MATERIALIZED VIEW pair RENAME COLUMN b TO a", "ALTER MATERIALIZED VIEW pair RENAME COLUMN swapping TO b");
        Reply after = api.get("pair", "fields", "id,a", "perPage", "1");

        assertThat(before.json().get("items").get(0).get("a").asLong()).isEqualTo(10);
        assertThat(after.json().get("items").get(0).get("a").asLong()).isEqualTo(100);
        assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag"));
    }
}
