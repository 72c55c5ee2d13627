package dev.ayb.matviews.collections.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionQuery;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.SortKey;
import dev.ayb.matviews.collections.ValueKind;
import dev.ayb.matviews.collections.internal.query.Cursor;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The read statement's settings and the catalog query (with the registration joined in) against a real PostgreSQL. */
class ReadStatementTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(7);
    private static final RegistrationJoin REGISTRATIONS = new RegistrationJoin(AybMatviews.DEFAULT_SCHEMA);

    private static AybMatviews matviews;

    @BeforeAll
    static void createViews() {
        matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();
        PG.execute("CREATE TABLE sentinel (id int)",
                "CREATE DOMAIN positive AS integer CHECK (VALUE > 0)",
                "CREATE MATERIALIZED VIEW shapes AS SELECT 1::positive AS id, 'a'::varchar(5) AS code, 2 AS rank,"
                        + " ARRAY[1.5] AS weights, now() AS at, 3 AS \"Bad Name\", 4 AS \"lower\"",
                "CREATE UNIQUE INDEX shapes_code_rank ON shapes (code, rank DESC)",
                "CREATE UNIQUE INDEX shapes_id ON shapes (id) INCLUDE (rank)",
                "CREATE MATERIALIZED VIEW partial_only AS SELECT 1 AS id",
                "CREATE UNIQUE INDEX partial_only_id ON partial_only (id) WHERE id > 0",
                "CREATE UNIQUE INDEX partial_only_expr ON partial_only ((id + 1))",
                "CREATE MATERIALIZED VIEW odd_key AS SELECT 1 AS id, 2 AS \"Odd Key\"",
                "CREATE UNIQUE INDEX odd_key_idx ON odd_key (\"Odd Key\")",
                "CREATE MATERIALIZED VIEW big AS SELECT g AS id, g % 7 AS bucket FROM generate_series(1, 200000) g",
                "CREATE UNIQUE INDEX big_id ON big (id)",
                "ANALYZE big");
    }

    private static CollectionView describe(String view) {
        return described(view).shape();
    }

    private static DescribedView described(String view) {
        return source().describe(QualifiedName.parse(view)).orElseThrow();
    }

    private static ViewSource source() {
        return new ViewSource(PG.dataSource(), REGISTRATIONS, TIMEOUT);
    }

    @Test
    void theCatalogGivesAddressableColumnsTheirBaseTypesWithoutModifiersAndKinds() {
        CollectionView shapes = describe("shapes");

        assertThat(shapes.columns()).containsExactly(
                new CollectionColumn("id", "integer", ValueKind.INTEGER),
                new CollectionColumn("code", "character varying", ValueKind.CHARACTER),
                new CollectionColumn("rank", "integer", ValueKind.INTEGER),
                new CollectionColumn("weights", "numeric[]", ValueKind.ARRAY),
                new CollectionColumn("at", "timestamp with time zone", ValueKind.TIMESTAMPTZ),
                new CollectionColumn("lower", "integer", ValueKind.INTEGER));
        assertThat(shapes.populated()).isTrue();
    }

    @Test
    void theUniqueKeyIsTheUsableIndexWithFewestColumnsWithoutItsIncludedOnes() {
        assertThat(describe("shapes").uniqueKey())
                .containsExactly(new SortKey(new CollectionColumn("id", "integer", ValueKind.INTEGER), false));
    }

    @Test
    void partialAndExpressionIndexesAreNotUsableKeys() {
        assertThat(describe("partial_only").uniqueKey()).isEmpty();
    }

    @Test
    void anIndexOnAColumnThatIsNotAnIdentifierIsNoKey() {
        CollectionView oddKey = describe("odd_key");

        assertThat(oddKey.uniqueKey()).isEmpty();
        assertThat(oddKey.columns()).extracting(CollectionColumn::name).containsExactly("id");
    }

    @Test
    void aDescendingIndexColumnKeepsItsDirection() {
        PG.execute("CREATE MATERIALIZED VIEW ranked AS SELECT 'a' AS code, 2 AS rank",
                "CREATE UNIQUE INDEX ranked_idx ON ranked (code, rank DESC)");

        assertThat(describe("ranked").uniqueKey()).extracting(SortKey::descending).containsExactly(false, true);
    }

    @Test
    void tablesAndPlainViewsAreNotDescribed() {
        assertThat(source().describe(QualifiedName.parse("sentinel"))).isEmpty();
    }

    @Test
    void theRegistrationComesWithTheCatalogWhenThereIsOne() {
        matviews.registry().register(QualifiedName.parse("public.odd_key"));
        matviews.refreshes().refresh("public.odd_key");

        assertThat(described("odd_key").registration()).isEqualTo(matviews.registry().get("public.odd_key"));
        assertThat(described("partial_only").registration()).isNull();
    }

    @Test
    void aRegistrationsTableThatCannotBeReadIsADatabaseErrorNotAMissingView() {
        ViewSource elsewhere = new ViewSource(PG.dataSource(), new RegistrationJoin("no_such_schema"), TIMEOUT);
        assertThatThrownBy(() -> elsewhere.describe(QualifiedName.parse("big")))
                .isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR));
    }

    @Test
    void theStatementIsReadOnlySoNothingCanBeWrittenEvenBySql() {
        ReadStatement statement = new ReadStatement(PG.dataSource(), TIMEOUT);

        assertThatThrownBy(() -> statement.run(new Sql().append("INSERT INTO sentinel VALUES (1) RETURNING id"),
                rows -> rows.next()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
        assertThat(count("SELECT count(*) FROM sentinel")).isZero();
    }

    @Test
    void theStatementTimeoutHoldsForTheQueryItself() {
        ReadStatement statement = new ReadStatement(PG.dataSource(), Duration.ofMillis(200));

        assertThatThrownBy(() -> statement.run(new Sql().append("SELECT pg_sleep(5)"), rows -> rows.next()))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
    }

    @Test
    void aPoolWithoutAutoCommitGetsItsConnectionBackWithNoTransactionOpen() throws Exception {
        DataSource single = PG.newDataSource(1, false);
        ReadStatement statement = new ReadStatement(single, TIMEOUT);

        assertThat(value(statement, "current_setting('transaction_read_only')")).isEqualTo("on");
        try (Connection connection = single.getConnection()) {
            assertThat(connection.getAutoCommit()).isFalse();
            assertThat(show(connection, "transaction_read_only")).isEqualTo("off");
            assertThat(show(connection, "statement_timeout")).isEqualTo("0");
            connection.rollback();
        }
    }

    @Test
    void theConnectionGoesBackToThePoolWithItsOwnSettings() throws Exception {
        DataSource single = PG.newDataSource(1);
        String zone;
        try (Connection connection = single.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'America/New_York'");
            zone = show(connection, "TimeZone");
        }

        ReadStatement statement = new ReadStatement(single, TIMEOUT);
        assertThat(value(statement, "current_setting('statement_timeout')")).isEqualTo("7s");
        assertThat(value(statement, "current_setting('TimeZone')")).isEqualTo("UTC");
        assertThat(value(statement, "current_setting('transaction_read_only')")).isEqualTo("on");
        assertThat(value(statement, "current_setting('extra_float_digits')")).isEqualTo("3");

        try (Connection connection = single.getConnection()) {
            assertThat(show(connection, "statement_timeout")).isEqualTo("0");
            assertThat(show(connection, "TimeZone")).isEqualTo(zone);
            assertThat(show(connection, "transaction_read_only")).isEqualTo("off");
            assertThat(connection.isReadOnly()).isFalse();
            assertThat(connection.getAutoCommit()).isTrue();
        }
    }

    /**
     * The point of cursors: continuing near the end of 200,000 rows reads about one page from the index,
     * where OFFSET would read every row before it.
     */
    @Test
    void aCursorDeepInABigViewReadsOnlyAPagesWorthOfRowsFromTheIndex() throws Exception {
        String cursor = new Cursor("+id", List.of("199000"), 3981).encode();
        CollectionView big = describe("big");
        PageRequest request = PageRequest.parse(CollectionQuery.fromParameters(name -> Optional.ofNullable(
                Map.of("perPage", "50", "after", cursor).get(name))), big);

        JsonNode plan = explain(PageQuery.rows(big, request));

        assertThat(plan.toString()).doesNotContain("Seq Scan");
        assertThat(rowsReadByScans(plan)).isLessThanOrEqualTo(2 * 51);
        PageRequest byOffset = PageRequest.parse(CollectionQuery.fromParameters(name -> Optional.ofNullable(
                Map.of("perPage", "50", "page", "3981").get(name))), big);
        assertThat(rowsReadByScans(explain(PageQuery.rows(big, byOffset)))).isGreaterThan(199_000);
    }

    private static JsonNode explain(Sql sql) throws Exception {
        try (Connection connection = PG.connection();
             PreparedStatement statement = connection.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.text())) {
            sql.bindTo(statement);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return new ObjectMapper().readTree(row.getString(1)).get(0).get("Plan");
            }
        }
    }

    /** Rows the scan nodes of a plan produced, summed over the plan. */
    private static long rowsReadByScans(JsonNode plan) {
        List<JsonNode> nodes = new ArrayList<>();
        nodes.add(plan);
        long rows = 0;
        while (!nodes.isEmpty()) {
            JsonNode node = nodes.remove(nodes.size() - 1);
            if (node.get("Node Type").asText().endsWith("Scan") && !node.get("Node Type").asText().equals("Subquery Scan")) {
                rows += node.get("Actual Rows").asLong() * node.get("Actual Loops").asLong();
            }
            node.path("Plans").forEach(nodes::add);
        }
        return rows;
    }

    private static String value(ReadStatement statement, String expression) throws SQLException {
        return statement.run(new Sql().append("SELECT " + expression), rows -> rows.next() ? rows.getString(1) : null);
    }

    private static String show(Connection connection, String setting) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW " + setting)) {
            row.next();
            return row.getString(1);
        }
    }

    private static long count(String sql) {
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
