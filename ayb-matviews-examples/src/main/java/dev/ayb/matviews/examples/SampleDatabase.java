package dev.ayb.matviews.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ayb.matviews.testkit.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The seed's sample schema (users, workouts, the leaderboard view) on an embedded PostgreSQL. */
public final class SampleDatabase {
    private SampleDatabase() {
    }

    /** What an example does with the sample database. */
    @FunctionalInterface
    public interface Example {
        void run(DataSource dataSource) throws Exception;
    }

    /**
     * An example's {@code main}: a temporary embedded PostgreSQL, a pool on it, the sample schema with 100 users,
     * then {@code example}; the server and pool are closed afterwards.
     */
    public static void runExample(Example example) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.startTemporary();
             HikariDataSource dataSource = pool(postgres)) {
            create(dataSource, 100);
            example.run(dataSource);
        }
    }

    public static HikariDataSource pool(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername(postgres.user());
        config.setPassword(postgres.password());
        config.setMaximumPoolSize(5);
        return new HikariDataSource(config);
    }

    /** Creates the tables with {@code users} users and a few workouts each, and the leaderboard view. */
    public static void create(DataSource dataSource, int users) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, name text NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS workouts (id bigserial PRIMARY KEY,"
                    + " user_id bigint NOT NULL REFERENCES users, duration_minutes int NOT NULL)");
            // Data only into empty tables, so a persistent demo database does not grow at every start.
            statement.execute("INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, " + users + ") g"
                    + " WHERE NOT EXISTS (SELECT 1 FROM users)");
            statement.execute("INSERT INTO workouts (user_id, duration_minutes)"
                    + " SELECT 1 + (g % " + users + "), 10 + (g * 7) % 80 FROM generate_series(1, " + users * 5 + ") g"
                    + " WHERE NOT EXISTS (SELECT 1 FROM workouts)");
            statement.execute("CREATE MATERIALIZED VIEW IF NOT EXISTS leaderboard AS"
                    + " SELECT u.id, u.name, COUNT(w.id) AS workout_count, SUM(w.duration_minutes) AS total_minutes"
                    + " FROM users u JOIN workouts w ON w.user_id = u.id"
                    + " GROUP BY u.id, u.name ORDER BY total_minutes DESC");
            statement.execute("CREATE UNIQUE INDEX IF NOT EXISTS leaderboard_id_idx ON leaderboard (id)");
            // A second view, left unregistered, to register from the API, the CLI or the dashboard.
            statement.execute("CREATE MATERIALIZED VIEW IF NOT EXISTS workout_totals AS"
                    + " SELECT date_trunc('day', now()) AS day, count(*) AS workouts, sum(duration_minutes) AS minutes"
                    + " FROM workouts");
            statement.execute("CREATE UNIQUE INDEX IF NOT EXISTS workout_totals_day_idx ON workout_totals (day)");
        }
    }
}
