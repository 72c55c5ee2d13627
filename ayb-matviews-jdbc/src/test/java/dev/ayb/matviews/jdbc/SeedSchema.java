package dev.ayb.matviews.jdbc;

import dev.ayb.matviews.testkit.PostgresExtension;

/** The seed's sample schema: users, workouts and the leaderboard view with its unique index. */
public final class SeedSchema {
    private SeedSchema() {
    }

    /** Drops everything the previous test made, including the library's own schema. */
    public static void reset(PostgresExtension pg) {
        pg.execute("DROP SCHEMA IF EXISTS ayb CASCADE",
                "DROP SCHEMA IF EXISTS other CASCADE",
                "DROP SCHEMA IF EXISTS public CASCADE",
                "CREATE SCHEMA public");
    }

    public static void create(PostgresExtension pg) {
        reset(pg);
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

    public static AybMatviews matviews(PostgresExtension pg) {
        return matviews(pg, true);
    }

    /** On the extension's shared pool of that autocommit setting. */
    public static AybMatviews matviews(PostgresExtension pg, boolean autoCommit) {
        return AybMatviews.builder().dataSource(pg.dataSource(autoCommit)).build();
    }
}
