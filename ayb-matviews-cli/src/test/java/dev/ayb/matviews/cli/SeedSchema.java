package dev.ayb.matviews.cli;

import dev.ayb.matviews.testkit.PostgresExtension;

/** The seed's sample schema: users, workouts and the leaderboard view with its unique index. */
final class SeedSchema {
    private SeedSchema() {
    }

    /** Drops what the previous test made, the library's own schema included, and creates the seed's tables. */
    static void create(PostgresExtension pg) {
        pg.execute("DROP SCHEMA IF EXISTS ayb CASCADE",
                "DROP SCHEMA IF EXISTS ayb_tools CASCADE",
                "DROP SCHEMA IF EXISTS public CASCADE",
                "CREATE SCHEMA public",
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

    /** A second view with no unique index, which a concurrent refresh cannot use. */
    static void createViewWithoutUniqueIndex(PostgresExtension pg) {
        pg.execute("CREATE MATERIALIZED VIEW user_names AS SELECT id, name FROM users");
    }
}
