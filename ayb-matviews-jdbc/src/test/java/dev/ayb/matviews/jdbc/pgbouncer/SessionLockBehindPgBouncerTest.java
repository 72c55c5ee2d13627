package dev.ayb.matviews.jdbc.pgbouncer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PgBouncerExtension;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.reliability.CapturedOutput;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import dev.ayb.matviews.testkit.reliability.Figures;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Session lock mode behind PgBouncer in transaction pooling, the deployment it does not support: each statement of
 * the library's connection may run on another backend. The library must notice that its unlock did not run where
 * its lock was taken, say so, and never report the lock as released.
 */
@Tag("reliability")
@ExtendWith(Figures.class)
class SessionLockBehindPgBouncerTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    /** Two backends: enough for a statement of the library's connection to land on another one than its lock. */
    @RegisterExtension
    @Order(2)
    static final PgBouncerExtension BOUNCER = PgBouncerExtension.transactionPooling(PG, 2);
    /** One backend for every client: a client's lock statement runs where another client's lock is held. */
    @RegisterExtension
    @Order(3)
    static final PgBouncerExtension ONE_BACKEND = PgBouncerExtension.transactionPooling(PG, 1);
    @RegisterExtension
    final CapturedOutput output = new CapturedOutput();

    private static final String LOCK_HOLDERS = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + " AND classid = " + PostgresExtension.LIBRARY_LOCK_NAMESPACE + " AND objsubid = 2"
            + " AND objid = 'public.leaderboard'::regclass::oid";

    @Test
    void anUnlockOnAnotherBackendThanTheLockIsReportedAndTheLockIsNeverCountedAsReleased() throws SQLException {
        SampleSchema.create(PG);
        try (Connection otherClient = BOUNCER.connection()) {
            otherClient.setAutoCommit(false);
            AtomicInteger otherClientsBackend = new AtomicInteger();
            AybMatviews matviews = AybMatviews.builder().dataSource(BOUNCER.dataSource("app", 2))
                    .lockMode(AdvisoryLockMode.SESSION)
                    .listener(new RefreshListener() {
                        @Override
                        public void refreshStarted(QualifiedName view, RefreshMode mode, RefreshTrigger trigger) {
                            // The lock statement has ended, so PgBouncer took its backend back; it hands the most
                            // recently used one out first, so this client's transaction gets it and keeps it, and
                            // the library's next statements run on the other backend.
                            otherClientsBackend.set(backendPid(otherClient));
                        }
                    })
                    .build();
            matviews.registry().register(QualifiedName.parse("public.leaderboard"));
            PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

            Throwable thrown = catchThrowable(() -> matviews.refreshes().refresh("public.leaderboard"));
            Figures.faults(1);
            Figures.operations(1);

            // The lock stayed where it was taken, on the backend the other client now holds.
            assertThat(otherClientsBackend.get()).isPositive();
            assertThat(PG.queryLong(LOCK_HOLDERS)).isEqualTo(otherClientsBackend.get());
            assertThat(thrown).isInstanceOfSatisfying(MatviewException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
                assertThat(e.view()).contains(QualifiedName.parse("public.leaderboard"));
                assertThat(e.getMessage())
                        .startsWith("advisory lock of public.leaderboard was not held at release")
                        .contains("the lock was taken on backend " + otherClientsBackend.get())
                        .endsWith("use AdvisoryLockMode.TRANSACTION behind PgBouncer");
            });
            assertThat(output.text()).containsPattern("WARN .*Closing a database connection whose lock release"
                    + " could not be confirmed")
                    .contains("use AdvisoryLockMode.TRANSACTION behind PgBouncer");
            // The REFRESH itself ran, and is recorded as it ran.
            assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
            assertThat(matviews.registry().history(ViewRef.parse("public.leaderboard"), 10)).singleElement()
                    .satisfies(run -> assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS));
            otherClient.rollback();
        }
        // Stopping PgBouncer after the test ends the backend still holding the lock.
    }

    /**
     * The silent case: a session lock is re-entrant, so on a backend shared with the client whose refresh holds
     * it, PostgreSQL grants it again. The second refresh is refused instead of running beside the first.
     */
    @Test
    void aLockAlreadyHeldOnTheSharedBackendIsRefusedAndTheViewIsRefreshedOnce() {
        SampleSchema.create(PG);
        AybMatviews second = AybMatviews.builder().dataSource(ONE_BACKEND.dataSource("second", 1))
                .lockMode(AdvisoryLockMode.SESSION).build();
        AtomicReference<Throwable> secondOutcome = new AtomicReference<>();
        AtomicInteger secondCalls = new AtomicInteger();
        AybMatviews first = AybMatviews.builder().dataSource(ONE_BACKEND.dataSource("first", 1))
                .lockMode(AdvisoryLockMode.SESSION)
                .listener(new RefreshListener() {
                    @Override
                    public void refreshStarted(QualifiedName view, RefreshMode mode, RefreshTrigger trigger) {
                        // Between the first client's statements the one backend is free: the second client's
                        // lock statement runs on it, where the first client's lock is held.
                        if (secondCalls.incrementAndGet() == 1) {
                            secondOutcome.set(catchThrowable(() -> second.refreshes().refresh("public.leaderboard")));
                        }
                    }
                })
                .build();
        first.registry().register(QualifiedName.parse("public.leaderboard"));
        PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

        first.refreshes().refresh("public.leaderboard");
        Figures.faults(1);
        Figures.operations(2);

        assertThat(secondOutcome.get()).isInstanceOfSatisfying(MatviewException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_ERROR);
            assertThat(e.view()).contains(QualifiedName.parse("public.leaderboard"));
            assertThat(e.getMessage())
                    .startsWith("advisory lock of public.leaderboard was already held by backend ")
                    .contains("the refresh did not run")
                    .endsWith("use AdvisoryLockMode.TRANSACTION behind PgBouncer");
        });
        assertThat(first.registry().history(ViewRef.parse("public.leaderboard"), 10)).singleElement()
                .satisfies(run -> assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS));
        assertThat(PG.queryLong("SELECT total_minutes FROM leaderboard WHERE id = 2")).isEqualTo(120);
        // The first client's unlock ran on the one backend, where its lock was: nothing is left.
        assertThat(PG.libraryLocksHeld()).isZero();
    }

    private static int backendPid(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
