package dev.ayb.matviews.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.Figures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A refresh whose record cannot be written, or whose COMMIT fails after the record. In transaction lock mode the REFRESH and its record commit
 * together, so the failed record undoes the refresh: the run must be reported and recorded as failed.
 * The fault is a trigger that refuses to store successful runs.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class FailedRecordTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @BeforeEach
    void seed() {
        SampleSchema.create(PG);
    }

    @Test
    void inTransactionModeARefreshUndoneByItsFailedRecordIsRecordedAsFailed() {
        AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource())
                .lockMode(AdvisoryLockMode.TRANSACTION).build();
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("INSERT INTO users VALUES (3, 'cy')",
                "INSERT INTO workouts (user_id, duration_minutes) VALUES (3, 90)",
                "CREATE FUNCTION public.refuse_success() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN IF NEW.status = 'success' THEN RAISE EXCEPTION 'history is read-only'; END IF;"
                        + " RETURN NEW; END $$",
                "CREATE TRIGGER refuse_success BEFORE INSERT ON ayb.matview_refresh_runs"
                        + " FOR EACH ROW EXECUTE FUNCTION public.refuse_success()");

        assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                    assertThat(e.getMessage()).contains("history is read-only");
                });
        Figures.faults(1);
        Figures.operations(1);

        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).as("the refresh was rolled back").isEqualTo(2);
        assertThat(matviews.registry().get("leaderboard").lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(matviews.registry().history(ViewRef.parse("leaderboard"), 10)).singleElement()
                .satisfies(run -> {
                    assertThat(run.status()).isEqualTo(RefreshStatus.ERROR);
                    assertThat(run.error()).contains("history is read-only");
                });
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    @Test
    void inTransactionModeACommitRefusedWithASerializationFailureIsAFailedRefresh() {
        AybMatviews matviews = transactionMode();
        // A deferred constraint trigger runs at COMMIT, after the record was written: the COMMIT itself fails.
        refuseSuccessAtCommit("RAISE EXCEPTION 'could not serialize access' USING ERRCODE = 'serialization_failure';");

        assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_FAILED);
                    assertThat(e.sqlState()).contains("40001");
                    assertThat(e.getMessage()).contains("could not serialize access");
                });
        Figures.faults(1);
        Figures.operations(1);

        assertFailureRecordedAndRefreshUndone(matviews, "could not serialize access");
    }

    @Test
    void inTransactionModeABackendTerminatedAtCommitIsAFailedRefresh() {
        AybMatviews matviews = transactionMode();
        // The backend ends itself while committing: the client loses its connection in the middle of COMMIT.
        refuseSuccessAtCommit("PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5);");

        assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard"))
                .isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.REFRESH_FAILED));
        Figures.faults(1);
        Figures.operations(1);

        assertFailureRecordedAndRefreshUndone(matviews, "refresh of public.leaderboard failed: ");
    }

    private AybMatviews transactionMode() {
        AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource())
                .lockMode(AdvisoryLockMode.TRANSACTION).build();
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("INSERT INTO users VALUES (3, 'cy')",
                "INSERT INTO workouts (user_id, duration_minutes) VALUES (3, 90)");
        return matviews;
    }

    /** Runs {@code body} at COMMIT of every transaction that stored a successful run. */
    private static void refuseSuccessAtCommit(String body) {
        PG.execute("CREATE FUNCTION public.at_commit() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN IF NEW.status = 'success' THEN " + body + " END IF; RETURN NEW; END $$",
                "CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON ayb.matview_refresh_runs"
                        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.at_commit()");
    }

    private static void assertFailureRecordedAndRefreshUndone(AybMatviews matviews, String error) {
        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).as("the refresh was rolled back").isEqualTo(2);
        assertThat(matviews.registry().get("leaderboard").lastRefreshStatus()).isEqualTo(RefreshStatus.ERROR);
        assertThat(matviews.registry().history(ViewRef.parse("leaderboard"), 10)).singleElement()
                .satisfies(run -> {
                    assertThat(run.status()).isEqualTo(RefreshStatus.ERROR);
                    assertThat(run.error()).contains(error);
                });
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    @Test
    void inSessionModeTheRefreshStandsAndTheFailureToRecordItIsReported() {
        AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("INSERT INTO users VALUES (3, 'cy')",
                "INSERT INTO workouts (user_id, duration_minutes) VALUES (3, 90)",
                "CREATE FUNCTION public.refuse_all() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RAISE EXCEPTION 'history is read-only'; END $$",
                "CREATE TRIGGER refuse_all BEFORE INSERT ON ayb.matview_refresh_runs"
                        + " FOR EACH ROW EXECUTE FUNCTION public.refuse_all()");

        assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard"))
                .isInstanceOfSatisfying(MatviewException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR));
        Figures.faults(1);
        Figures.operations(1);

        assertThat(PG.queryLong("SELECT count(*) FROM leaderboard")).as("the refresh committed").isEqualTo(3);
        assertThat(matviews.registry().get("leaderboard").lastRefreshStatus()).isNull();
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    /**
     * An AFTER row trigger fires at the end of the record statement, after its select list released the lock:
     * the statement fails with the lock already gone. That is the record's failure, not a lock that went
     * missing, and it must be reported as such.
     */
    @Test
    void inSessionModeARecordFailingAfterItsUnlockReportsTheRecordsFailureNotALostLock() {
        AybMatviews matviews = AybMatviews.builder().dataSource(PG.dataSource()).build();
        matviews.registry().register(QualifiedName.parse("leaderboard"));
        PG.execute("CREATE FUNCTION public.refuse_late() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN RAISE EXCEPTION 'history is read-only'; END $$",
                "CREATE TRIGGER refuse_late AFTER INSERT ON ayb.matview_refresh_runs"
                        + " FOR EACH ROW EXECUTE FUNCTION public.refuse_late()");

        assertThatThrownBy(() -> matviews.refreshes().refresh("leaderboard"))
                .isInstanceOfSatisfying(MatviewException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                    assertThat(e.getMessage()).contains("history is read-only")
                            .doesNotContain("was not held at release");
                });
        Figures.faults(1);
        Figures.operations(1);

        assertThat(PG.libraryLocksHeld()).isZero();
        PG.execute("DROP TRIGGER refuse_late ON ayb.matview_refresh_runs");
        assertThat(matviews.refreshes().refresh("leaderboard").registration().lastRefreshStatus())
                .isEqualTo(RefreshStatus.SUCCESS);
    }
}
