package dev.ayb.matviews.servlet;

import dev.ayb.matviews.testkit.PostgresExtension;

/** The seed's sample schema: users, workouts and the leaderboard view with its unique index on id. */
final class SeedSchema {
    private SeedSchema() {
    }

    /** Starts from nothing, including the library's own schema, so no test sees another's rows. */
    static void create(PostgresExtension pg) {
        pg.execute("DROP SCHEMA IF EXISTS ayb CASCADE",
                "DROP SCHEMA IF EXISTS other CASCADE",
                "DROP SCHEMA IF EXISTS public CASCADE",
                "CREATE SCHEMA public");
        pg.execute(
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

    /** A second view over the same data, without any index: CONCURRENTLY cannot refresh it. */
    static void createViewWithoutIndex(PostgresExtension pg, String name) {
        pg.execute("CREATE MATERIALIZED VIEW " + name + " AS SELECT u.id, u.name FROM users u");
    }

    /** A view restored the way pg_dump restores them: unpopulated, though it has a unique index. */
    static void createUnpopulatedView(PostgresExtension pg, String name) {
        pg.execute("CREATE MATERIALIZED VIEW " + name + " AS SELECT u.id, u.name FROM users u WITH NO DATA",
                "CREATE UNIQUE INDEX " + name + "_id_idx ON " + name + " (id)");
    }
}
