package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session lock that is gone when the refresh ends is never reported released. Its view's query releases every
 * advisory lock of the session that refreshes it, so the library's unlock, on that same backend, finds nothing
 * to release: what happens to it behind a transaction-pooling proxy when another client shares the backend.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class UnconfirmedReleaseTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @Test
    void aLockGoneFromItsSessionBeforeTheUnlockFailsTheCallAndTheRefreshIsRecordedAsItRan() {
        SampleSchema.reset(PG);
        PG.execute("CREATE MATERIALIZED VIEW self_unlocking AS"
                + " SELECT count(*) AS refreshes FROM (SELECT pg_advisory_unlock_all()) AS released");
        AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();
        matviews.registry().register(QualifiedName.parse("public.self_unlocking"));

        Throwable thrown = catchThrowable(() -> matviews.refreshes().refresh("public.self_unlocking"));
        Figures.faults(1);
        Figures.operations(1);

        assertThat(thrown).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
            assertThat(e.view()).contains(QualifiedName.parse("public.self_unlocking"));
            assertThat(e.getMessage())
                    .startsWith("advisory lock of public.self_unlocking was not held at release: the lock was gone"
                            + " from its session")
                    .endsWith("use AdvisoryLockMode.TRANSACTION behind PgBouncer");
        });
        assertThat(matviews.registry().history(ViewRef.parse("public.self_unlocking"), 10)).singleElement()
                .satisfies(run -> assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS));
        assertThat(PG.libraryLocksHeld()).isZero();
    }
}
