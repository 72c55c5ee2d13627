package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresServerTest {

    @Test
    void usesNoExternalServerUnlessTheUrlVariableIsSet() {
        assertThat(PostgresServer.external(Map.of())).isEmpty();
        assertThat(PostgresServer.external(Map.of(PostgresServer.URL_VARIABLE, " "))).isEmpty();
    }

    @Test
    void takesCredentialsFromTheVariablesBeforeTheUrl() {
        PostgresServer server = PostgresServer.external(Map.of(
                PostgresServer.URL_VARIABLE, "jdbc:postgresql://db:5432/main?user=url_user&password=url_pw",
                PostgresServer.USER_VARIABLE, "env_user")).orElseThrow();

        assertThat(server.kind()).isEqualTo(PostgresServer.Kind.EXTERNAL);
        assertThat(server.user()).isEqualTo("env_user");
        assertThat(server.password()).isEqualTo("url_pw");
        assertThat(server.maintenanceDatabase()).isEqualTo("main");
        assertThat(server.jdbcUrl("other")).isEqualTo("jdbc:postgresql://db:5432/other");
        assertThat(server.embedded()).isEmpty();
    }

    @Test
    void reachesAnExternalServerGivenByUrl() throws SQLException {
        EmbeddedPostgres running = PostgresServer.shared().embedded().orElse(null);
        if (running == null) {
            return; // this test borrows the embedded server as its "external" one
        }
        PostgresServer external = PostgresServer.external(Map.of(
                PostgresServer.URL_VARIABLE, running.urlWithCredentials("postgres"))).orElseThrow();

        assertThat(external.version()).startsWith("PostgreSQL ");
        try (Connection connection = external.connect("template1")) {
            assertThat(connection.getCatalog()).isEqualTo("template1");
        }
    }
}
