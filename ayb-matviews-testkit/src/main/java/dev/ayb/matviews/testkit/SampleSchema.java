package dev.ayb.matviews.testkit;

/**
 * The seed's sample schema every module's tests share: users, workouts and the {@code leaderboard} view with its
 * unique index on {@code id}, plus the extra views some tests add next to it. One copy, so that the jdbc, servlet
 * and CLI tests all see the same rows.
 */
public final class SampleSchema {
    private SampleSchema() {
    }

    /**
     * Where the schema's statements run, in order: {@link PostgresExtension#execute} for the shared server, or a
     * test's own server (the restart suites stop and start one of their own).
     */
    @FunctionalInterface
    public interface Statements {
        void execute(String... sql);
    }

    /**
     * Starts from nothing: drops the library's own schemas ({@code ayb}, and {@code ayb_tools} which the CLI
     * creates), the {@code other} schema tests create next to {@code public}, and {@code public} itself.
     */
    public static void reset(PostgresExtension pg) {
        reset((Statements) pg::execute);
    }

    /** {@link #reset(PostgresExtension)} through {@code db}. */
    public static void reset(Statements db) {
        db.execute("DROP SCHEMA IF EXISTS ayb CASCADE",
                "DROP SCHEMA IF EXISTS ayb_tools CASCADE",
                "DROP SCHEMA IF EXISTS other CASCADE",
                "DROP SCHEMA IF EXISTS public CASCADE",
                "CREATE SCHEMA public");
    }

    /** {@link #reset}, then the seed's tables, rows and the {@code leaderboard} view. */
    public static void create(PostgresExtension pg) {
        create((Statements) pg::execute);
    }

    /** {@link #create(PostgresExtension)} through {@code db}. */
    public static void create(Statements db) {
        reset(db);
        db.execute(
                "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL)",
                "CREATE TABLE workouts (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users,"
                        + " duration_minutes int NOT NULL)",
                "INSERT INTO users VALUES (1, 'ann'), (2, 'bob')",
                "INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 30), (1, 45), (2, 20)",
                "CREATE MATERIALIZED VIEW leaderboard AS"
                        + " SELECT u.id, u.name, COUNT(w.id) AS workout_count, SUM(w.duration_minutes) AS total_minutes"
                        + " FROM users u JOIN workouts w ON w.user_id = u.id"
                        + " GROUP BY u.id, u.name ORDER BY total_minutes DESC",
                "CREATE UNIQUE INDEX leaderboard_id_idx ON leaderboard (id)");
    }

    /**
     * {@link #reset}, then the smallest schema the library can work on: {@code users} (ann, bob) and a
     * {@code leaderboard} view over it with a unique index. The reliability suites use it where what the view
     * holds does not matter, only that it can be registered and refreshed either way.
     */
    public static void createMinimal(PostgresExtension pg) {
        reset(pg);
        pg.execute("CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO users VALUES (1, 'ann'), (2, 'bob')",
                "CREATE MATERIALIZED VIEW leaderboard AS SELECT id, name FROM users",
                "CREATE UNIQUE INDEX leaderboard_id_idx ON leaderboard (id)");
    }

    /** The sentinel table hostile inputs aim at: five rows that no input may change. */
    public static void createSentinel(PostgresExtension pg) {
        pg.execute("CREATE TABLE sentinel (id int PRIMARY KEY, note text NOT NULL)",
                "INSERT INTO sentinel SELECT g, 'row ' || g FROM generate_series(1, 5) g");
    }

    /**
     * A second view over {@code users} without any index: CONCURRENTLY cannot refresh it.
     *
     * @param name a plain lower-case identifier chosen by the test, e.g. {@code user_names}
     */
    public static void createViewWithoutIndex(PostgresExtension pg, String name) {
        pg.execute("CREATE MATERIALIZED VIEW " + identifier(name) + " AS SELECT u.id, u.name FROM users u");
    }

    /** A view restored the way pg_dump restores them: unpopulated, though it has a unique index. */
    public static void createUnpopulatedView(PostgresExtension pg, String name) {
        String view = identifier(name);
        pg.execute("CREATE MATERIALIZED VIEW " + view + " AS SELECT u.id, u.name FROM users u WITH NO DATA",
                "CREATE UNIQUE INDEX " + view + "_id_idx ON " + view + " (id)");
    }

    /** The names are the tests' own, but a fixture that splices them into DDL still refuses anything else. */
    private static String identifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,50}")) {
            throw new IllegalArgumentException("not a plain identifier: " + name);
        }
        return name;
    }
}
