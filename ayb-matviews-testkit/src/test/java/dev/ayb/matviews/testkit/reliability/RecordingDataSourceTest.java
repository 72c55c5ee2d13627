package dev.ayb.matviews.testkit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the round-trip counts in the tests and the benchmarks rest on. */
class RecordingDataSourceTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void recordsEachExecutionsTextButNoBoundValueAndCountsTheRoundTrips() throws Exception {
        RecordingDataSource recording = new RecordingDataSource(PG.dataSource());
        try (Connection connection = recording.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("SELECT ?::text")) {
                statement.setString(1, "secret value");
                statement.executeQuery().close();
                statement.executeQuery().close();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT 2");
            }
            connection.commit();
            connection.rollback();
            assertThat(connection.isValid(1)).isTrue();
            connection.setAutoCommit(true);
        }

        assertThat(recording.statements()).containsExactly("SELECT ?::text", "SELECT ?::text", "SELECT 2");
        assertThat(recording.executions()).isEqualTo(3);
        assertThat(recording.otherRoundTrips()).isEqualTo(3);

        recording.clear();
        assertThat(recording.statements()).isEmpty();
        assertThat(recording.executions()).as("counts are not reset by clear").isEqualTo(3);
    }
}
