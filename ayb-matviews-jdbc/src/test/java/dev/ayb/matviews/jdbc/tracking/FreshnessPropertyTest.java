package dev.ayb.matviews.jdbc.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random writers (committing or rolling back) and refreshes (plain and "only if changed") run at once; a checker
 * that stops the writers for a moment asks the view's freshness and, when it is current, compares the view with
 * its query. Never may a current view differ from its query's result. With the writes captured by triggers, and
 * read from the WAL (where the writers' asynchronous commits, as the test server makes every commit, are visible
 * before the WAL holding them is flushed).
 */
@ParameterizedClass(name = "pool autoCommit={0}, capture={1}")
@MethodSource("settings")
class FreshnessPropertyTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    static Stream<Arguments> settings() {
        return Stream.of(true, false).flatMap(autoCommit -> Stream.of(ChangeCapture.values())
                .map(capture -> Arguments.of(autoCommit, capture)));
    }

    private static final String QUERY = "SELECT u.id, u.name, count(w.id) AS workouts,"
            + " coalesce(sum(w.duration_minutes), 0) AS minutes"
            + " FROM users u LEFT JOIN workouts w ON w.user_id = u.id GROUP BY u.id, u.name";
    private static final long RUN_MILLIS = 6_000;

    @Parameter(0)
    boolean autoCommit;

    @Parameter(1)
    ChangeCapture capture;

    private AybMatviews matviews;
    /** The same database with transaction-level locks: the snapshot is taken inside the refresh's transaction. */
    private AybMatviews transactional;
    /** Writers hold it shared while a write runs and commits; the checker takes it alone. */
    private final ReadWriteLock writes = new ReentrantReadWriteLock();

    @BeforeEach
    void createSchema() {
        PG.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE database = current_database()");
        SampleSchema.create(PG);
        PG.execute("INSERT INTO users SELECT g, 'user ' || g FROM generate_series(3, 200) g",
                "INSERT INTO workouts (user_id, duration_minutes) SELECT 1 + g % 200, g % 90"
                        + " FROM generate_series(1, 40000) g",
                "CREATE MATERIALIZED VIEW totals AS " + QUERY,
                "CREATE UNIQUE INDEX totals_id_idx ON totals (id)");
        matviews = AybMatviews.builder().dataSource(PG.newDataSource(8, autoCommit)).changeCapture(capture).build();
        matviews.registry().register(QualifiedName.parse("totals"), RefreshMode.STANDARD, RefreshTimeouts.NONE, true);
        transactional = AybMatviews.builder().dataSource(PG.newDataSource(4, autoCommit))
                .lockMode(AdvisoryLockMode.TRANSACTION).changeCapture(capture).build();
    }

    @Test
    void aCurrentViewAlwaysHoldsItsQueryResult() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        long end = System.currentTimeMillis() + RUN_MILLIS;
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger currentChecks = new AtomicInteger();
        AtomicInteger behindChecks = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            long seed = 17L * (w + 1);
            tasks.add(pool.submit(() -> write(end, new Random(seed))));
        }
        tasks.add(pool.submit(() -> refresh(matviews, end, false, skipped)));
        tasks.add(pool.submit(() -> refresh(transactional, end, true, skipped)));
        tasks.add(pool.submit(() -> check(end, violations, currentChecks, behindChecks)));
        for (Future<?> task : tasks) {
            task.get(RUN_MILLIS + 60_000, TimeUnit.MILLISECONDS);
        }
        pool.shutdown();

        System.out.printf("[property] FreshnessPropertyTest (%s): checks current %d, behind %d; refreshes skipped %d%n",
                capture, currentChecks.get(), behindChecks.get(), skipped.get());
        assertThat(violations).isEmpty();
        assertThat(currentChecks.get()).as("checks that found the view current").isPositive();
        assertThat(behindChecks.get()).as("checks that found the view behind").isPositive();
    }

    private Void write(long end, Random random) throws SQLException, InterruptedException {
        try (Connection connection = PG.connection()) {
            connection.setAutoCommit(false);
            while (System.currentTimeMillis() < end) {
                writes.readLock().lock();
                try (Statement statement = connection.createStatement()) {
                    int user = 1 + random.nextInt(200);
                    statement.execute(switch (random.nextInt(5)) {
                        case 0 -> "INSERT INTO workouts (user_id, duration_minutes) VALUES (" + user + ", "
                                + random.nextInt(90) + ")";
                        case 1 -> "UPDATE workouts SET duration_minutes = duration_minutes + 1 WHERE user_id = " + user;
                        case 2 -> "DELETE FROM workouts WHERE id IN (SELECT id FROM workouts WHERE user_id = " + user
                                + " LIMIT 1)";
                        case 3 -> "UPDATE users SET name = 'user ' || " + random.nextInt(1000) + " WHERE id = " + user;
                        default -> "INSERT INTO workouts (user_id, duration_minutes) SELECT " + user + ", g"
                                + " FROM generate_series(1, 50) g";
                    });
                    if (random.nextInt(4) == 0) {
                        connection.rollback();
                    } else {
                        connection.commit();
                    }
                } finally {
                    writes.readLock().unlock();
                }
                Thread.sleep(random.nextInt(8));
            }
        }
        return null;
    }

    private Void refresh(AybMatviews instance, long end, boolean ifChanged, AtomicInteger skipped)
            throws InterruptedException {
        while (System.currentTimeMillis() < end) {
            try {
                if (instance.refreshes().refresh("totals", ifChanged).skipped()) {
                    skipped.incrementAndGet();
                }
            } catch (MatviewException e) {
                if (e.code() != ErrorCode.REFRESH_IN_PROGRESS) {
                    throw e;
                }
            }
            Thread.sleep(5);
        }
        return null;
    }

    private Void check(long end, ConcurrentLinkedQueue<String> violations, AtomicInteger current,
                       AtomicInteger behind) throws InterruptedException {
        while (System.currentTimeMillis() < end) {
            writes.writeLock().lock();
            try {
                // Once as the writers left it, then after the refreshes had time to catch up.
                checkOnce(violations, current, behind);
                Thread.sleep(150);
                checkOnce(violations, current, behind);
            } finally {
                writes.writeLock().unlock();
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Runs while no write is in flight, so the view's query gives what the sources hold now. */
    private void checkOnce(ConcurrentLinkedQueue<String> violations, AtomicInteger current, AtomicInteger behind) {
        Freshness freshness = matviews.freshness().of("totals");
        if (freshness.reason() != null && freshness.reason().contains("could not be read")) {
            violations.add("the WAL's changes could not be read: " + freshness.reason());
        }
        if (!freshness.isCurrent()) {
            behind.incrementAndGet();
            return;
        }
        current.incrementAndGet();
        long differences = PG.queryLong("SELECT count(*) FROM ((TABLE totals EXCEPT ALL " + QUERY + ")"
                + " UNION ALL (" + QUERY + " EXCEPT ALL TABLE totals)) d");
        if (differences > 0) {
            violations.add("current, but " + differences + " rows differ from the query");
        }
    }
}
