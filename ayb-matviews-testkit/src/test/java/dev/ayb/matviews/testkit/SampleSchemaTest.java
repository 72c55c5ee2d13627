package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SampleSchemaTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void theSeedsLeaderboardRanksAnnWithTwoWorkoutsAboveBob() throws SQLException {
        SampleSchema.create(PG);

        assertThat(rows("SELECT name || ' ' || workout_count || ' ' || total_minutes FROM leaderboard ORDER BY id"))
                .containsExactly("ann 2 75", "bob 1 20");
    }

    @Test
    void createStartsOverFromWhatAPreviousTestLeftBehind() throws SQLException {
        SampleSchema.create(PG);
        PG.execute("CREATE SCHEMA ayb", "CREATE SCHEMA other", "INSERT INTO users VALUES (3, 'cyd')");

        SampleSchema.create(PG);

        assertThat(rows("SELECT nspname FROM pg_namespace WHERE nspname IN ('ayb', 'ayb_tools', 'other')")).isEmpty();
        assertThat(rows("SELECT name FROM users ORDER BY id")).containsExactly("ann", "bob");
    }

    @Test
    void anExtraViewsNameThatIsNotAPlainIdentifierIsRefusedBeforeAnySql() throws SQLException {
        SampleSchema.create(PG);

        assertThatThrownBy(() -> SampleSchema.createViewWithoutIndex(PG, "x AS SELECT 1; DROP TABLE users; --"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(rows("SELECT name FROM users ORDER BY id")).containsExactly("ann", "bob");
    }

    private static List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
