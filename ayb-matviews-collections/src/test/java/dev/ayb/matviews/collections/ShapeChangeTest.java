package dev.ayb.matviews.collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.reliability.RecordingDataSource;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A read remembers the view's shape and sends one statement; when the view changed since, the read notices it
 * from that statement and answers as a read of the new shape would, on the same call: never rows of the old
 * shape, never an error the new shape does not deserve. Under both pool settings.
 */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class ShapeChangeTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final QualifiedName VIEW = QualifiedName.parse("public.shaped");

    @Parameter
    boolean autoCommit;

    private RecordingDataSource recorder;
    private AybCollections collections;

    @BeforeEach
    void createView() {
        PG.execute("DROP MATERIALIZED VIEW IF EXISTS shaped",
                "CREATE MATERIALIZED VIEW shaped AS SELECT g AS id, 'name ' || g AS name, g * 10 AS score"
                        + " FROM generate_series(1, 5) g",
                "CREATE UNIQUE INDEX shaped_id ON shaped (id)");
        recorder = new RecordingDataSource(PG.dataSource(autoCommit));
        collections = AybCollections.of(AybMatviews.builder().dataSource(recorder).build());
        // The shape is learnt by this first read.
        assertThat(read(CollectionQuery.firstPage()).rows()).hasSize(5);
    }

    private CollectionPage read(CollectionQuery query) {
        return collections.read(VIEW, query);
    }

    private static List<String> names(CollectionPage page) {
        return page.fields().stream().map(CollectionColumn::name).toList();
    }

    @Test
    void aKnownShapeCostsOneStatementPerRead() {
        long before = recorder.executions();
        long otherBefore = recorder.otherRoundTrips();

        read(CollectionQuery.builder().perPage(2).build());
        read(CollectionQuery.builder().page(2).perPage(2).build());

        assertThat(recorder.executions() - before).isEqualTo(2);
        // Nothing else under auto-commit; the commit that ends the driver's transaction otherwise.
        assertThat(recorder.otherRoundTrips() - otherBefore).isEqualTo(autoCommit ? 0 : 2);
    }

    @Test
    void aRenamedColumnIsServedUnderItsNewName() {
        PG.execute("ALTER MATERIALIZED VIEW shaped RENAME COLUMN name TO title");

        CollectionPage page = read(CollectionQuery.builder().perPage(1).build());

        assertThat(names(page)).containsExactly("id", "title", "score");
        assertThat(page.rows()).containsExactly(List.of(1L, "name 1", 10L));
        assertThat(read(CollectionQuery.builder().fields("title").perPage(1).build()).rows())
                .containsExactly(List.of("name 1"));
        assertThat(refusal(CollectionQuery.builder().fields("name").build())).isEqualTo(ErrorCode.INVALID_FIELDS);
    }

    /** A request naming the old column while the shape was still remembered as having it. */
    @Test
    void aQueryNamingARenamedColumnIsRefusedAsForTheNewShape() {
        PG.execute("ALTER MATERIALIZED VIEW shaped RENAME COLUMN score TO points");

        assertThat(refusal(CollectionQuery.builder().filter("score > 10").build())).isEqualTo(ErrorCode.INVALID_FILTER);
        assertThat(read(CollectionQuery.builder().filter("points > 30").build()).rows()).hasSize(2);
    }

    /** Columns can only be dropped from a materialized view by creating it again. */
    @Test
    void aDroppedColumnIsNoLongerServed() {
        PG.execute("DROP MATERIALIZED VIEW shaped",
                "CREATE MATERIALIZED VIEW shaped AS SELECT g AS id, g * 10 AS score FROM generate_series(1, 5) g",
                "CREATE UNIQUE INDEX shaped_id ON shaped (id)");

        CollectionPage page = read(CollectionQuery.builder().perPage(1).build());

        assertThat(names(page)).containsExactly("id", "score");
        assertThat(page.rows()).containsExactly(List.of(1L, 10L));
    }

    /** Same names, other types, a new oid: no error would tell, the fingerprint and oid do. */
    @Test
    void aViewCreatedAgainWithOtherTypesIsReadWithTheNewTypes() {
        PG.execute("DROP MATERIALIZED VIEW shaped",
                "CREATE MATERIALIZED VIEW shaped AS SELECT g::text AS id, g * 1.5 AS name, g = 1 AS score"
                        + " FROM generate_series(1, 5) g",
                "CREATE UNIQUE INDEX shaped_id ON shaped (id)");

        CollectionPage page = read(CollectionQuery.builder().perPage(1).build());

        assertThat(page.rows()).containsExactly(List.of("1", new BigDecimal("1.5"), true));
    }

    /** Names swapped between columns of other types: the same oid, the same names, only the fingerprint differs. */
    @Test
    void columnsThatSwappedNamesAreReadWithTheirOwnTypes() {
        PG.execute("ALTER MATERIALIZED VIEW shaped RENAME COLUMN name TO swap",
                "ALTER MATERIALIZED VIEW shaped RENAME COLUMN score TO name",
                "ALTER MATERIALIZED VIEW shaped RENAME COLUMN swap TO score");

        CollectionPage page = read(CollectionQuery.builder().fields("name", "score").perPage(1).build());

        assertThat(page.rows()).containsExactly(List.of(10L, "name 1"));
    }

    @Test
    void aChangedUniqueIndexChangesTheKeyAndTheOrder() {
        PG.execute("DROP INDEX shaped_id", "CREATE UNIQUE INDEX shaped_score_desc ON shaped (score DESC)");

        CollectionPage page = read(CollectionQuery.builder().fields("id").perPage(2).build());

        assertThat(page.rows()).containsExactly(List.of(5L), List.of(4L));
        assertThat(page.cursorPaging()).isTrue();
        assertThat(collections.describe(VIEW).orElseThrow().uniqueKey())
                .extracting(key -> key.column().name()).containsExactly("score");
    }

    @Test
    void aDroppedUniqueIndexEndsCursorPaging() {
        PG.execute("DROP INDEX shaped_id");

        CollectionPage page = read(CollectionQuery.builder().perPage(2).build());

        assertThat(page.cursorPaging()).isFalse();
        assertThat(page.nextCursor()).isNull();
        assertThat(page.totalItems()).isEqualTo(5);
    }

    @Test
    void aDroppedViewIsNotFound() {
        PG.execute("DROP MATERIALIZED VIEW shaped");

        assertThat(refusal(CollectionQuery.firstPage())).isEqualTo(ErrorCode.VIEW_NOT_FOUND);
        assertThatThrownBy(() -> collections.prepare(VIEW, CollectionQuery.firstPage()).version())
                .isInstanceOf(MatviewException.class);
    }

    @Test
    void aViewCreatedAgainWithNoDataIsNotPopulated() {
        PG.execute("DROP MATERIALIZED VIEW shaped",
                "CREATE MATERIALIZED VIEW shaped AS SELECT 1 AS id WITH NO DATA");

        assertThat(refusal(CollectionQuery.firstPage())).isEqualTo(ErrorCode.VIEW_NOT_POPULATED);
    }

    /** The refusal from the remembered shape is checked against the catalog before it stands. */
    @Test
    void aColumnAddedSinceTheShapeWasLearntCanBeAskedFor() {
        PG.execute("DROP MATERIALIZED VIEW shaped",
                "CREATE MATERIALIZED VIEW shaped AS SELECT g AS id, 'name ' || g AS name, g * 10 AS score,"
                        + " g % 2 = 0 AS even FROM generate_series(1, 5) g",
                "CREATE UNIQUE INDEX shaped_id ON shaped (id)");

        CollectionPage page = read(CollectionQuery.builder().fields("even").filter("even = true").build());

        assertThat(page.rows()).containsExactly(List.of(true), List.of(true));
    }

    private ErrorCode refusal(CollectionQuery query) {
        try {
            read(query);
        } catch (MatviewException e) {
            return e.code();
        }
        throw new AssertionError("read " + VIEW);
    }
}
