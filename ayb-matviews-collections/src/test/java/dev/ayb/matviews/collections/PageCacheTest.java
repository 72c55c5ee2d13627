package dev.ayb.matviews.collections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A page read again while the view's data is of the version it was read from is answered without reading its
 * rows (one statement that reads the view's state); any change of version is read anew: a refresh through the
 * library, a standard refresh outside it, a view created again, a column renamed. Checked against PostgreSQL's
 * own answer for the same page, under both pool settings.
 */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class PageCacheTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final QualifiedName VIEW = QualifiedName.parse("public.cached");
    /** Only the statement of a read that reads rows selects them from this subquery. */
    private static final String READS_ROWS = ") AS stored";

    @Parameter
    boolean autoCommit;

    private RecordingDataSource recorder;
    private AybMatviews matviews;
    private AybCollections collections;

    @BeforeEach
    void createView() {
        PG.execute("DROP MATERIALIZED VIEW IF EXISTS cached", "DROP TABLE IF EXISTS cache_source",
                "CREATE TABLE cache_source (id int PRIMARY KEY, a int, b int)",
                "INSERT INTO cache_source SELECT g, g * 10, g * 100 FROM generate_series(1, 12) g",
                "CREATE MATERIALIZED VIEW cached AS SELECT id, a, b FROM cache_source",
                "CREATE UNIQUE INDEX cached_id ON cached (id)");
        recorder = new RecordingDataSource(PG.dataSource(autoCommit));
        matviews = AybMatviews.builder().dataSource(recorder).build();
        matviews.registry().findOrRegister(VIEW);
        matviews.refreshes().refresh(VIEW.toString());
        collections = AybCollections.of(matviews);
    }

    @Test
    void anUnchangedPageIsAnsweredFromTheViewsStateAlone() {
        CollectionQuery query = CollectionQuery.builder().page(2).perPage(5).build();
        CollectionPage first = collections.read(VIEW, query);
        recorder.clear();
        long before = recorder.executions();

        CollectionPage again = collections.read(VIEW, query);

        assertThat(again).isEqualTo(first);
        assertThat(recorder.executions() - before).isEqualTo(1);
        assertThat(recorder.firstContaining(READS_ROWS)).isNull();
    }

    @Test
    void aRefreshThroughTheLibraryInEitherModeIsSeenAtTheNextRead() {
        CollectionQuery query = CollectionQuery.builder().perPage(3).build();
        collections.read(VIEW, query);

        PG.execute("UPDATE cache_source SET a = -1 WHERE id = 1");
        matviews.refreshes().refresh(VIEW.toString(), RefreshMode.CONCURRENT);
        assertThat(collections.read(VIEW, query).rows().get(0)).containsExactly(1L, -1L, 100L);

        PG.execute("UPDATE cache_source SET a = -2 WHERE id = 1");
        matviews.refreshes().refresh(VIEW.toString(), RefreshMode.STANDARD);
        assertThat(collections.read(VIEW, query).rows().get(0)).containsExactly(1L, -2L, 100L);
    }

    @Test
    void aStandardRefreshOutsideTheLibraryIsSeenAtTheNextRead() {
        CollectionQuery query = CollectionQuery.builder().perPage(3).build();
        collections.read(VIEW, query);

        PG.execute("DELETE FROM cache_source WHERE id = 1", "REFRESH MATERIALIZED VIEW cached");

        assertThat(collections.read(VIEW, query).rows().get(0)).containsExactly(2L, 20L, 200L);
    }

    /** Renaming changes no row and no refresh time, but what a column's name reads. */
    @Test
    void columnsSwappedByRenamingAreReadAsTheyAreNow() {
        CollectionQuery query = CollectionQuery.builder().perPage(1).fields("id", "a").build();
        assertThat(collections.read(VIEW, query).rows()).containsExactly(List.of(1L, 10L));

        PG.execute("ALTER MATERIALIZED VIEW cached RENAME COLUMN a TO swapping",
                "ALTER MATERIALIZED VIEW cached RENAME COLUMN b TO a",
                "ALTER MATERIALIZED VIEW cached RENAME COLUMN swapping TO b");

        assertThat(collections.read(VIEW, query).rows()).containsExactly(List.of(1L, 100L));
    }

    @Test
    void aViewCreatedAgainIsReadAnew() {
        CollectionQuery query = CollectionQuery.builder().perPage(1).build();
        collections.read(VIEW, query);

        PG.execute("DROP MATERIALIZED VIEW cached",
                "CREATE MATERIALIZED VIEW cached AS SELECT id, a + 1 AS a, b FROM cache_source",
                "CREATE UNIQUE INDEX cached_id ON cached (id)");

        assertThat(collections.read(VIEW, query).rows()).containsExactly(List.of(1L, 11L, 100L));
    }

    /** Without a version (here: a view no longer registered) nothing tells that the rows did not change. */
    @Test
    void readsWithoutAVersionAlwaysReadTheRows() {
        collections.read(VIEW, CollectionQuery.firstPage());
        matviews.registry().unregister(VIEW.toString());
        collections.read(VIEW, CollectionQuery.firstPage());
        recorder.clear();

        collections.read(VIEW, CollectionQuery.firstPage());

        assertThat(recorder.firstContaining(READS_ROWS)).isNotNull();
    }

    @Test
    void aCacheOfNoBytesKeepsNothing() {
        AybCollections uncached = AybCollections.builder(matviews).pageCache(0).build();
        uncached.read(VIEW, CollectionQuery.firstPage());
        recorder.clear();

        uncached.read(VIEW, CollectionQuery.firstPage());

        assertThat(recorder.firstContaining(READS_ROWS)).isNotNull();
    }

    /**
     * Random writes, refreshes (through the library in both modes, and outside it in standard mode), column
     * renames and reads of random pages: every page read equals the page PostgreSQL gives for the same query at
     * that moment, whether it was read or kept.
     */
    @Test
    void everyPageEqualsPostgresqlsOwnAnswerWhateverHappensBetweenReads() throws SQLException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kept = 0;
        int read = 0;
        int nextId = 13;
        for (int step = 0; step < 400; step++) {
            // Mostly reads, of a few dozen distinct pages, so that pages are read again between changes.
            int action = random.nextInt(20);
            if (action == 0) {
                PG.execute("INSERT INTO cache_source VALUES (" + nextId + ", " + random.nextInt(50) + ", "
                        + random.nextInt(500) + ")");
                nextId++;
            } else if (action == 1) {
                PG.execute("UPDATE cache_source SET a = " + random.nextInt(50) + " WHERE id = "
                        + (1 + random.nextInt(nextId)));
            } else if (action == 2) {
                matviews.refreshes().refresh(VIEW.toString(),
                        random.nextBoolean() ? RefreshMode.STANDARD : RefreshMode.CONCURRENT);
            } else if (action == 3 && random.nextInt(3) == 0) {
                PG.execute("REFRESH MATERIALIZED VIEW cached");
            } else if (action == 3) {
                PG.execute("ALTER MATERIALIZED VIEW cached RENAME COLUMN a TO swapping",
                        "ALTER MATERIALIZED VIEW cached RENAME COLUMN b TO a",
                        "ALTER MATERIALIZED VIEW cached RENAME COLUMN swapping TO b");
            } else {
                int page = 1 + random.nextInt(3);
                int perPage = random.nextBoolean() ? 2 : 5;
                List<String> fields = randomFields(random);
                boolean descending = random.nextBoolean();
                CollectionQuery query = CollectionQuery.builder().page(page).perPage(perPage)
                        .fields(fields.toArray(String[]::new)).sort(descending ? "-id" : "id").build();
                recorder.clear();
                CollectionPage answer = collections.read(VIEW, query);
                if (recorder.firstContaining(READS_ROWS) == null) {
                    kept++;
                } else {
                    read++;
                }
                assertThat(answer.rows()).as("seed %d, step %d, %s", seed, step, query)
                        .isEqualTo(postgresAnswer(fields, descending, page, perPage));
                assertThat(answer.totalItems()).as("seed %d, step %d", seed, step)
                        .isEqualTo(PG.queryLong("SELECT count(*) FROM cached"));
            }
        }
        assertThat(kept).as("pages answered without reading rows (seed %d)", seed).isGreaterThan(10);
        assertThat(read).as("pages read (seed %d)", seed).isGreaterThan(10);
    }

    private static List<String> randomFields(Random random) {
        List<List<String>> choices = List.of(List.of("id", "a", "b"), List.of("id", "a"), List.of("b", "id"));
        return choices.get(random.nextInt(choices.size()));
    }

    private static List<List<Object>> postgresAnswer(List<String> fields, boolean descending, int page, int perPage)
            throws SQLException {
        String sql = "SELECT " + fields.stream().map(name -> '"' + name + '"').collect(Collectors.joining(", "))
                + " FROM cached ORDER BY id" + (descending ? " DESC" : "") + " LIMIT " + perPage + " OFFSET "
                + (page - 1) * perPage;
        List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= fields.size(); i++) {
                    long value = result.getLong(i);
                    row.add(result.wasNull() ? null : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
