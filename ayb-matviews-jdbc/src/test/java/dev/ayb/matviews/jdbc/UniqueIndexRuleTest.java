package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.DiscoveredView;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.UniqueIndexShapes;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our "usable unique index" check must agree with PostgreSQL's: for each kind of index, what the
 * catalog check says is compared with what REFRESH ... CONCURRENTLY actually does.
 */
class UniqueIndexRuleTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private AybMatviews matviews;

    @BeforeEach
    void createView() {
        SampleSchema.reset(PG);
        PG.execute(UniqueIndexShapes.VIEW);
        matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();
    }

    @ParameterizedTest(name = "{0} -> usable={1}")
    @CsvSource(delimiter = '|', value = {
            "CREATE UNIQUE INDEX ON v (id)                     | true",
            "CREATE UNIQUE INDEX ON v (id, code)               | true",
            "CREATE UNIQUE INDEX ON v (id) INCLUDE (code)      | true",
            "CREATE INDEX ON v (id)                            | false",
            "CREATE UNIQUE INDEX ON v (id) WHERE grp = 1       | false",
            "CREATE UNIQUE INDEX ON v (lower(code))            | false",
            "CREATE UNIQUE INDEX ON v (id, lower(code))        | false",
            "CREATE INDEX ON v USING hash (id)                 | false",
    })
    void catalogCheckAgreesWithPostgres(String createIndex, boolean usable) throws Exception {
        PG.execute(createIndex);

        assertThat(discovered().hasUniqueIndex()).isEqualTo(usable);
        assertThat(postgresAcceptsConcurrentRefresh()).isEqualTo(usable);
    }

    /** Every generated shape: the check says what CONCURRENTLY then does. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ayb.matviews.testkit.UniqueIndexShapes#generated")
    void catalogCheckAgreesWithPostgresForEveryGeneratedShape(String createIndex) throws Exception {
        PG.execute(createIndex);

        assertThat(discovered().hasUniqueIndex()).isEqualTo(postgresAcceptsConcurrentRefresh());
    }

    @Test
    void anInvalidIndexLeftByAFailedConcurrentBuildDoesNotCount() throws Exception {
        PG.execute("INSERT INTO base VALUES (1, 'dup', 0)", "REFRESH MATERIALIZED VIEW v");
        try (Connection connection = PG.connection(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("CREATE UNIQUE INDEX CONCURRENTLY v_id_idx ON v (id)"))
                    .hasMessageContaining("could not create unique index");
        }
        assertThat(PG.queryLong("SELECT count(*) FROM pg_index WHERE NOT indisvalid"
                + " AND indexrelid = 'v_id_idx'::regclass")).isEqualTo(1);
        // The duplicate stays: a standard refresh would rebuild the index and make it valid again.

        assertThat(discovered().hasUniqueIndex()).isFalse();
        assertThat(postgresAcceptsConcurrentRefresh()).isFalse();
    }

    @Test
    void concurrentRefreshWithoutAUsableIndexIsRefusedWithTheOriginalMessage() {
        PG.execute("CREATE UNIQUE INDEX ON v (id) WHERE grp = 1");
        matviews.registry().register(QualifiedName.parse("public.v"), RefreshMode.CONCURRENT);

        assertThatThrownBy(() -> matviews.refreshes().refresh("public.v"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX);
                    assertThat(e.getMessage()).isEqualTo(
                            "concurrent refresh requires a unique index on the materialized view");
                    assertThat(e.httpStatus()).isEqualTo(409);
                });
    }

    private DiscoveredView discovered() {
        return matviews.registry().discover().stream().filter(v -> v.viewName().equals("v")).findFirst()
                .orElseThrow();
    }

    private static boolean postgresAcceptsConcurrentRefresh() throws Exception {
        return UniqueIndexShapes.concurrentRefreshSucceeds(PG);
    }
}
