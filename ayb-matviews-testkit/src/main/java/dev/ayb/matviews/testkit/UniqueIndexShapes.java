package dev.ayb.matviews.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Index shapes for the tests that hold the library's "usable unique index" rule against PostgreSQL's own
 * decision: each module that applies the rule (the refresh's catalog checks, the collections' unique key) runs
 * every shape on the same view and checks that its answer is what {@code REFRESH ... CONCURRENTLY} does.
 */
public final class UniqueIndexShapes {
    /** The view the shapes are created on: {@code public.v (id int, code text, grp int)}, 20 distinct rows. */
    public static final String[] VIEW = {
            "CREATE TABLE base (id int, code text, grp int)",
            "INSERT INTO base SELECT g, 'c' || g, g % 3 FROM generate_series(1, 20) g",
            "CREATE MATERIALIZED VIEW v AS SELECT id, code, grp FROM base"};

    private static final List<String> KINDS = List.of("CREATE UNIQUE INDEX ON v ", "CREATE INDEX ON v ");
    private static final List<String> KEYS = List.of("(id)", "(id, code)", "(code DESC, id)", "(lower(code))",
            "(id, lower(code))", "(id NULLS FIRST)");
    private static final List<String> INCLUDES = List.of("", " INCLUDE (grp)");
    private static final List<String> PREDICATES = List.of("", " WHERE grp = 1");
    /** Hash indexes are never unique, have one key column, no order options and no INCLUDE. */
    private static final List<String> HASH_KEYS = List.of("(id)", "(lower(code))");

    private UniqueIndexShapes() {
    }

    /**
     * Every btree index of: unique or not, plain, composite, descending, NULLS FIRST or expression keys, with or
     * without INCLUDE columns and a predicate; and the hash indexes PostgreSQL can build on the same columns. As
     * {@code CREATE INDEX} statements on {@link #VIEW}.
     */
    public static List<String> generated() {
        List<String> shapes = new ArrayList<>();
        for (String predicate : PREDICATES) {
            for (String kind : KINDS) {
                for (String key : KEYS) {
                    for (String include : INCLUDES) {
                        shapes.add(kind + key + include + predicate);
                    }
                }
            }
            for (String key : HASH_KEYS) {
                shapes.add("CREATE INDEX ON v USING hash " + key + predicate);
            }
        }
        return shapes;
    }

    /**
     * PostgreSQL's own decision: whether {@code REFRESH MATERIALIZED VIEW CONCURRENTLY public.v} runs. Its
     * refusal for want of a usable unique index is SQLSTATE 55000; any other failure is thrown.
     */
    public static boolean concurrentRefreshSucceeds(PostgresExtension pg) throws SQLException {
        try (Connection connection = pg.connection(); Statement statement = connection.createStatement()) {
            statement.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY public.v");
            return true;
        } catch (SQLException e) {
            if ("55000".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }
}
