package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.servlet.EveryTypeView.Column;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import dev.ayb.matviews.testkit.reliability.Figures;
import dev.ayb.matviews.testkit.reliability.HostileStrings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Filters, sorts and keyset cursors over a column of every type, checked against PostgreSQL's own answers
 * for the same question: {@code WHERE col = 'x'} with an untyped literal (which PostgreSQL reads as the
 * column's base type, without its length, scale or domain constraint), and {@code ORDER BY col, id}. The
 * rows are generated ({@link EveryTypeView}); nothing expected is written by hand. Where PostgreSQL refuses
 * the question (json has no {@code =}, no order), the API must refuse it with a 400 rather than answer.
 *
 * <p>The queries PostgreSQL answers here run with {@code TimeZone = UTC}, as every collection read does.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class CollectionTypeFidelityApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final long SEED = HostileStrings.seed();
    private static final List<String> COMPARISONS = List.of("=", "!=", "<", ">", "<=", ">=");

    private static CollectionsApi api;
    /** Where PostgreSQL's own answers come from. */
    private static Connection oracle;

    @BeforeAll
    static void start() throws SQLException {
        EveryTypeView.create(PG, SEED);
        api = CollectionsApi.start(PG);
        oracle = PG.connection();
        try (Statement statement = oracle.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        oracle.close();
        api.close();
    }

    @Test
    void everyComparisonMatchesExactlyTheRowsPostgresqlsOwnOperatorMatches() {
        List<String> mismatches = new ArrayList<>();
        for (Column column : EveryTypeView.COLUMNS) {
            String quoted = "\"" + column.name() + "\"";
            for (String literal : column.literals()) {
                for (String operator : COMPARISONS) {
                    String sqlOperator = operator.equals("!=") ? "<>" : operator;
                    check(column.name() + " " + operator + " " + EveryTypeView.filterString(literal),
                            quoted + " " + sqlOperator + " " + EveryTypeView.literal(literal), mismatches);
                }
            }
        }
        assertThat(mismatches).as("seed %d: %d mismatches", SEED, mismatches.size()).isEmpty();
    }

    @Test
    void inListsNullsAndLikeMatchExactlyWhatPostgresqlMatches() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> mismatches = new ArrayList<>();
        for (Column column : EveryTypeView.COLUMNS) {
            String quoted = "\"" + column.name() + "\"";
            List<String> literals = column.literals();
            String first = literals.get(random.nextInt(literals.size()));
            String second = literals.get(random.nextInt(literals.size()));
            check(column.name() + " IN (" + EveryTypeView.filterString(first) + ", "
                            + EveryTypeView.filterString(second) + ")",
                    quoted + " IN (" + EveryTypeView.literal(first) + ", " + EveryTypeView.literal(second) + ")",
                    mismatches);
            check(column.name() + " = null", quoted + " IS NULL", mismatches);
            check(column.name() + " != null", quoted + " IS NOT NULL", mismatches);
            // ~ is LIKE: the type's own for character strings, on the text form for every other type.
            String matched = column.character() ? quoted : "CAST(" + quoted + " AS text)";
            for (String literal : literals) {
                String pattern = literal.contains("%") ? literal : "%" + literal + "%";
                check(column.name() + " ~ " + EveryTypeView.filterString(literal),
                        matched + " LIKE " + EveryTypeView.literal(pattern), mismatches);
                check(column.name() + " !~ " + EveryTypeView.filterString(literal),
                        matched + " NOT LIKE " + EveryTypeView.literal(pattern), mismatches);
            }
        }
        assertThat(mismatches).as("seed %d: %d mismatches", SEED, mismatches.size()).isEmpty();
    }

    @Test
    void pagingByCursorOnePerPageVisitsEveryRowOnceInPostgresqlsOrderForEverySortableColumn() {
        List<String> mismatches = new ArrayList<>();
        walk("", "id", mismatches);
        for (Column column : EveryTypeView.COLUMNS) {
            walk(column.name(), "\"" + column.name() + "\" ASC, id", mismatches);
            walk("-" + column.name(), "\"" + column.name() + "\" DESC, id", mismatches);
        }
        // Pairs: the second key is reached through equality on the first, with its ties and NULLs.
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 8; i++) {
            Column first = EveryTypeView.COLUMNS.get(random.nextInt(EveryTypeView.COLUMNS.size()));
            Column second = EveryTypeView.COLUMNS.get(random.nextInt(EveryTypeView.COLUMNS.size()));
            boolean firstDescending = random.nextBoolean();
            boolean secondDescending = random.nextBoolean();
            if (first.equals(second)) {
                continue;
            }
            walk((firstDescending ? "-" : "") + first.name() + "," + (secondDescending ? "-" : "") + second.name(),
                    "\"" + first.name() + "\"" + (firstDescending ? " DESC" : "") + ", \"" + second.name() + "\""
                            + (secondDescending ? " DESC" : "") + ", id", mismatches);
        }
        assertThat(mismatches).as("seed %d: %d mismatches", SEED, mismatches.size()).isEmpty();
    }

    /** Pages through under {@code sort} (empty: the default order) and compares with PostgreSQL's ORDER BY. */
    private static void walk(String sort, String orderBy, List<String> mismatches) {
        Figures.inputs(1);
        Optional<List<String>> expected = ids("SELECT id FROM " + EveryTypeView.VIEW + " ORDER BY " + orderBy);
        Reply first = api.get(EveryTypeView.VIEW, "sort", sort, "perPage", "1", "fields", "id", "skipTotal", "true");
        if (expected.isEmpty()) {
            if (first.status() != 400) {
                mismatches.add("sort=" + sort + ": PostgreSQL cannot order it, the API answered " + first);
            }
            return;
        }
        List<String> served = pageThrough(first, sort, mismatches);
        if (!served.equals(expected.get())) {
            mismatches.add("sort=" + sort + ": served " + served + ", PostgreSQL orders " + expected.get());
        }
    }

    @Test
    void everyValueOfEveryColumnIsServed() {
        Reply reply = api.get(EveryTypeView.VIEW, "perPage", "500");

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("items")).hasSize(EveryTypeView.ROWS);
    }

    /**
     * Follows nextCursor from the first page, one row per page, as a front end would; records a mismatch and
     * stops at the first answer that is not a page.
     */
    private static List<String> pageThrough(Reply first, String sort, List<String> mismatches) {
        List<String> ids = new ArrayList<>();
        Reply reply = first;
        while (true) {
            if (reply.status() != 200) {
                mismatches.add("sort=" + sort + " after " + ids.size() + " rows: " + reply);
                return ids;
            }
            JsonNode page = reply.json();
            page.get("items").forEach(item -> ids.add(item.get("id").asText()));
            if (page.get("nextCursor").isNull() || ids.size() > EveryTypeView.ROWS) {
                return ids;
            }
            reply = api.get(EveryTypeView.VIEW, "sort", sort, "perPage", "1", "fields", "id", "skipTotal", "true",
                    "after", page.get("nextCursor").asText());
        }
    }

    /**
     * The API's rows for the filter against PostgreSQL's for the condition: the same ids when PostgreSQL
     * answers, a 400 when it refuses.
     */
    private static void check(String filter, String condition, List<String> mismatches) {
        Figures.inputs(1);
        Optional<List<String>> expected = ids("SELECT id FROM " + EveryTypeView.VIEW + " WHERE " + condition
                + " ORDER BY id");
        Reply reply = api.get(EveryTypeView.VIEW, "filter", filter, "perPage", "500", "fields", "id",
                "skipTotal", "true");
        if (expected.isEmpty()) {
            if (reply.status() != 400) {
                mismatches.add(filter + ": PostgreSQL refuses " + condition + ", the API answered " + reply);
            }
            return;
        }
        if (reply.status() != 200) {
            mismatches.add(filter + ": PostgreSQL answers " + condition + ", the API answered " + reply);
            return;
        }
        List<String> served = new ArrayList<>();
        reply.json().get("items").forEach(item -> served.add(item.get("id").asText()));
        TreeSet<Integer> servedSet = served.stream().map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
        TreeSet<Integer> expectedSet = expected.get().stream().map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!servedSet.equals(expectedSet)) {
            mismatches.add(filter + ": served ids " + servedSet + ", PostgreSQL's " + condition + " matches "
                    + expectedSet);
        }
    }

    /** The ids PostgreSQL answers, in its order; empty when it refuses the query. */
    private static Optional<List<String>> ids(String sql) {
        try (Statement statement = oracle.createStatement()) {
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return Optional.of(ids);
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
