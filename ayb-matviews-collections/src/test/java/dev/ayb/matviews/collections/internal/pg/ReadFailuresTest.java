package dev.ayb.matviews.collections.internal.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadFailuresTest {
    private static final QualifiedName VIEW = QualifiedName.parse("public.leaderboard");

    private static MatviewException of(String state, String message) {
        return ReadFailures.of(new SQLException(message, state), VIEW, Duration.ofSeconds(30));
    }

    @Test
    void aRefusedValueIsA400WithPostgresqlsPrimaryMessage() {
        MatviewException e = of("22P02", "ERROR: invalid input syntax for type bigint: \"x\"\n  Position: 40");

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_VALUE);
        assertThat(e.httpStatus()).isEqualTo(400);
        assertThat(e.getMessage())
                .isEqualTo("invalid value in filter or cursor: invalid input syntax for type bigint: \"x\"");
        assertThat(e.sqlState()).contains("22P02");
    }

    @Test
    void aValueNestedPastPostgresqlsLimitsIsA400() {
        for (String state : new String[] {"54000", "54001"}) {
            MatviewException e = of(state, "ERROR: number of array dimensions exceeds the maximum allowed (6)");

            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.code().errorName()).isEqualTo("invalid_value");
        }
    }

    @Test
    void anOperationTheTypeLacksIsA400() {
        MatviewException e = of("42883", "ERROR: operator does not exist: json = json");

        assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OPERATION);
        assertThat(e.getMessage()).isEqualTo("the filter or sort uses an operation the column's type does not"
                + " support: operator does not exist: json = json");
    }

    @Test
    void aViewTheRoleMayNotReadIsA403() {
        MatviewException e = of("42501", "ERROR: permission denied for materialized view leaderboard");

        assertThat(e.code()).isEqualTo(ErrorCode.READ_PERMISSION_DENIED);
        assertThat(e.httpStatus()).isEqualTo(403);
        assertThat(e.code().errorName()).isEqualTo("permission_denied");
        assertThat(e.getMessage()).isEqualTo("the database role of the connection pool may not read"
                + " public.leaderboard: permission denied for materialized view leaderboard");
    }

    @Test
    void theViewsStateAndTimeoutsAreAnsweredAsSuch() {
        assertThat(of("55000", "ERROR: not populated").code()).isEqualTo(ErrorCode.VIEW_NOT_POPULATED);
        assertThat(of("55000", "ERROR: not populated").httpStatus()).isEqualTo(503);
        assertThat(of("55000", "ERROR: not populated").getMessage())
                .isEqualTo("materialized view public.leaderboard has not been populated yet; refresh it first");
        MatviewException timeout = of("57014", "ERROR: canceling statement due to statement timeout");
        assertThat(timeout.code()).isEqualTo(ErrorCode.READ_TIMEOUT);
        assertThat(timeout.httpStatus()).isEqualTo(503);
        assertThat(timeout.getMessage())
                .isEqualTo("reading public.leaderboard took longer than the statement timeout of 30000 ms");
        assertThat(of("42P01", "ERROR: relation does not exist").code()).isEqualTo(ErrorCode.VIEW_NOT_FOUND);
    }

    @Test
    void anythingElseIsADatabaseErrorKeepingTheSqlstate() {
        MatviewException e = of("53300", "FATAL: too many connections");

        assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
        assertThat(e.sqlState()).contains("53300");
        // PostgreSQL's message cleaned up as everywhere else (PgErrors.serverMessage): without its severity.
        assertThat(e.getMessage()).isEqualTo("database error while reading public.leaderboard: too many connections");
    }

    @Test
    void aFailedCatalogQueryIsADatabaseErrorUnlessItTimedOut() {
        Duration timeout = Duration.ofSeconds(30);
        for (String state : new String[] {"42P01", "42501", "42703"}) {
            assertThat(ReadFailures.ofCatalog(new SQLException("ERROR: relation \"ayb.matview_registrations\"", state),
                    VIEW, timeout).code()).isEqualTo(ErrorCode.DATABASE_ERROR);
        }
        assertThat(ReadFailures.ofCatalog(new SQLException("ERROR: canceling statement", "57014"), VIEW, timeout)
                .code()).isEqualTo(ErrorCode.READ_TIMEOUT);
    }
}
