package dev.ayb.matviews.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresJdbcUrlTest {

    @Test
    void derivesUrlsForOtherDatabasesKeepingOptionsButNotCredentials() {
        PostgresJdbcUrl url = PostgresJdbcUrl.parse(
                "jdbc:postgresql://db.example:5433/app?sslmode=disable&user=alice&password=p%26ss&ApplicationName=x");

        assertThat(url.hosts()).isEqualTo("db.example:5433");
        assertThat(url.database()).isEqualTo("app");
        assertThat(url.parameter("user")).contains("alice");
        assertThat(url.parameter("password")).contains("p&ss");
        assertThat(url.parameter("missing")).isEmpty();
        assertThat(url.forDatabase("ayb_test_1"))
                .isEqualTo("jdbc:postgresql://db.example:5433/ayb_test_1?sslmode=disable&ApplicationName=x");
    }

    @Test
    void acceptsUrlsWithoutDatabaseOrParametersAndSeveralHosts() {
        assertThat(PostgresJdbcUrl.parse("jdbc:postgresql://h1:5432,h2:5432").forDatabase("d"))
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5432/d");
        assertThat(PostgresJdbcUrl.parse("jdbc:postgresql://localhost/").database()).isEmpty();
    }

    @Test
    void rejectsOtherUrls() {
        assertThatThrownBy(() -> PostgresJdbcUrl.parse("jdbc:mysql://localhost/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql://host:port/database");
    }
}
