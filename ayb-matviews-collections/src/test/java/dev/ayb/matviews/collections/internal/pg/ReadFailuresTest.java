package dev.ayb.matviews.servlet.internal.collections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.servlet.internal.ApiException;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadFailuresTest {
    private static final QualifiedName VIEW = QualifiedName.parse("public.leaderboard");

    private static RuntimeException of(String state, String message) {
        return ReadFailures.of(new SQLException(message, state), VIEW, Duration.ofSeconds(30));
    }

    @Test
    void aRefusedValueIsA400WithPostgresqlsPrimaryMessage() {
        assertThat(of("22P02", "ERROR: invalid input syntax for type bigint: \"x\"\n  Position: 40"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .isEqualTo("invalid value in filter or cursor: invalid input syntax for type bigint: \"x\"");
                });
    }

    @Test
    void aValueNestedPastPostgresqlsLimitsIsA400() {
        for (String state : new String[] {"54000", "54001"}) {
            assertThat(of(state, "ERROR: number of array dimensions exceeds the maximum allowed (6)"))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errorName()).isEqualTo("invalid_value");
                    });
        }
    }

    @Test
    void aViewTheRoleMayNotReadIsA403() {
        assertThat(of("42501", "ERROR: permission denied for materialized view leaderboard"))
                .isInstanceOfSatisfying(Refusal.class, e -> {
                    assertThat(e.answer().status()).isEqualTo(403);
                    assertThat(e.answer().body().get("message").asText()).isEqualTo("the database role of the"
                            + " connection pool may not read public.leaderboard: permission denied for materialized"
                            + " view leaderboard");
                });
    }

    @Test
    void theViewsStateAndTimeoutsAreAnsweredAsSuch() {
        assertThat(((Refusal) of("55000", "ERROR: not populated")).answer().status()).isEqualTo(503);
        assertThat(((Refusal) of("57014", "ERROR: canceling statement due to statement timeout")).answer()
                .headers()).containsEntry("Retry-After", "60");
        assertThat(((MatviewException) of("42P01", "ERROR: relation does not exist")).code())
                .isEqualTo(ErrorCode.VIEW_NOT_FOUND);
    }

    @Test
    void anythingElseIsADatabaseErrorKeepingTheSqlstate() {
        MatviewException e = (MatviewException) of("53300", "FATAL: too many connections");

        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
        assertThat(e.sqlState()).contains("53300");
        assertThat(e.getMessage()).isEqualTo("database error while reading public.leaderboard: FATAL: too many connections");
    }

    @Test
    void aFailedCatalogQueryIsADatabaseErrorUnlessItTimedOut() {
        Duration timeout = Duration.ofSeconds(30);
        for (String state : new String[] {"42P01", "42501", "42703"}) {
            assertThat(ReadFailures.ofCatalog(new SQLException("ERROR: relation \"ayb.matview_registrations\"", state),
                    VIEW, timeout)).isInstanceOfSatisfying(MatviewException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR));
        }
        assertThat(((Refusal) ReadFailures.ofCatalog(new SQLException("ERROR: canceling statement", "57014"), VIEW,
                timeout)).answer().status()).isEqualTo(503);
    }
}
