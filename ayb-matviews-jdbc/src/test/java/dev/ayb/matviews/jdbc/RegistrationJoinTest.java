package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registration joined into another query reads as the registry reads it, from the configured schema. */
class RegistrationJoinTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @BeforeEach
    void createSchema() {
        SampleSchema.create(PG);
    }

    private static Optional<Registration> joined(RegistrationJoin join, String schema, String view) {
        String sql = "SELECT v.*, r.* FROM (SELECT CAST(? AS text) AS nspname, CAST(? AS text) AS relname) v"
                + " LEFT JOIN LATERAL " + join.lateralSubquery("v.nspname", "v.relname") + " r ON true";
        try (Connection connection = PG.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, view);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return RegistrationJoin.read(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRegisteredViewReadsAsTheRegistryHasIt() {
        AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();
        matviews.registry().register(QualifiedName.parse("public.leaderboard"));
        matviews.refreshes().refresh("public.leaderboard");

        assertThat(joined(new RegistrationJoin(matviews.schema()), "public", "leaderboard"))
                .contains(matviews.registry().get("public.leaderboard"));
    }

    @Test
    void aViewWithoutRegistrationReadsAsEmpty() {
        AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();

        assertThat(joined(new RegistrationJoin(matviews.schema()), "public", "leaderboard")).isEmpty();
    }

    @Test
    void theRegistrationsAreReadFromTheConfiguredSchema() {
        AybMatviews custom = AybMatviews.builder().dataSource(PG.dataSource()).schema("other").build();
        custom.registry().register(QualifiedName.parse("public.leaderboard"));
        AybMatviews standard = AybMatviews.builder().dataSource(PG.dataSource()).build();

        assertThat(joined(new RegistrationJoin("other"), "public", "leaderboard"))
                .contains(custom.registry().get("public.leaderboard"));
        assertThat(joined(new RegistrationJoin(standard.schema()), "public", "leaderboard")).isEmpty();
    }
}
