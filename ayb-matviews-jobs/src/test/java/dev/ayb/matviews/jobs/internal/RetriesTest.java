package dev.ayb.matviews.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures a job retries; the refresh paths that produce them are exercised in JobQueueTest. */
class RetriesTest {

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"VIEW_NOT_FOUND", "VIEW_NO_LONGER_EXISTS", "INVALID_IDENTIFIER",
            "INVALID_PAYLOAD", "CONCURRENT_REQUIRES_UNIQUE_INDEX", "CONCURRENT_REQUIRES_POPULATED",
            "SWAP_BLOCKED_BY_DEPENDANTS", "SWAP_NAME_TAKEN", "REFRESH_PERMISSION_DENIED"})
    void failuresNoRetryCanFixAreNotRetried(ErrorCode code) {
        assertThat(Retries.worthRetrying(new MatviewException(code))).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"REFRESH_LOCK_TIMEOUT", "REFRESH_STATEMENT_TIMEOUT",
            "REFRESH_FAILED", "DATABASE_ERROR", "CONCURRENT_DUPLICATE_ROWS"})
    void transientFailuresAreRetried(ErrorCode code) {
        assertThat(Retries.worthRetrying(new MatviewException(code))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08001", "57P01", "40001"})
    void aLostConnectionOrATerminatedBackendIsRetried(String sqlState) {
        MatviewException lost = new MatviewException(ErrorCode.DATABASE_ERROR, "database error while claiming jobs",
                null, sqlState, new SQLException("gone", sqlState));
        assertThat(Retries.worthRetrying(lost)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = {"DATABASE_ERROR", "REFRESH_FAILED"})
    void permissionDeniedIsNotRetriedWhicheverStatementItCameFrom(ErrorCode code) {
        MatviewException denied = new MatviewException(code, "permission denied for table workouts", null, "42501",
                new SQLException("permission denied", "42501"));
        assertThat(Retries.worthRetrying(denied)).isFalse();
    }

    @Test
    void aHandlersOwnExceptionIsRetried() {
        assertThat(Retries.worthRetrying(new IllegalStateException("boom"))).isTrue();
    }
}
