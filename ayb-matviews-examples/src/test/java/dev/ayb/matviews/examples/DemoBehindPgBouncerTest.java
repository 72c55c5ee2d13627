package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import dev.ayb.matviews.testkit.Await;
import dev.ayb.matviews.testkit.PgBouncerExtension;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.AdminClient;
import dev.ayb.matviews.testkit.http.Reply;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The demo behind a real PgBouncer in transaction pooling, started with {@code --lock-mode transaction}: the
 * deployment where, in the default session mode, two demos once ran one view's refresh twice. Now 40 concurrent
 * refreshes of one view sent to two demos run it once.
 */
@Tag("reliability")
class DemoBehindPgBouncerTest {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    @Order(2)
    static final PgBouncerExtension BOUNCER = PgBouncerExtension.transactionPooling(PG, 4);

    private static final int CALLS = 40;
    private static final String REFRESH = "/api/admin/matviews/public.leaderboard/refresh";
    private static final String HISTORY = "/api/admin/matviews/public.leaderboard/history?limit=100";

    @Test
    void theLockModeIsSessionUnlessSaidOtherwiseInAnyCase() {
        assertThat(parse().settings().lockMode()).isEqualTo(AdvisoryLockMode.SESSION);
        assertThat(parse("--lock-mode", "transaction").settings().lockMode()).isEqualTo(AdvisoryLockMode.TRANSACTION);
        assertThat(parse("--lock-mode", "SESSION").settings().lockMode()).isEqualTo(AdvisoryLockMode.SESSION);
    }

    @Test
    void anUnknownLockModeIsRefusedWithTheTwoThatExist() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new DemoServer()).setErr(new PrintWriter(err, true));

        int exit = command.execute("--lock-mode", "exclusive");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Invalid value for option '--lock-mode': 'exclusive' is not a lock"
                + " mode; use session (the default: a direct connection or session pooling) or transaction (behind"
                + " PgBouncer in transaction pooling)");
    }

    @Test
    void fortyConcurrentRefreshesOfOneViewSentToTwoDemosThroughPgBouncerRunItOnce() throws Exception {
        try (RunningDemo first = RunningDemo.start(behindTheProxy("first-token"));
             RunningDemo second = RunningDemo.start(behindTheProxy("second-token"))) {
            AdminClient a = new AdminClient(URI.create("http://localhost:" + first.port()), "first-token");
            AdminClient b = new AdminClient(URI.create("http://localhost:" + second.port()), "second-token",
                    Duration.ofSeconds(60));
            assertThat(a.post(REFRESH).status()).as("a refresh through the proxy").isEqualTo(200);
            int runsBefore = a.get(HISTORY).json().get("items").size();

            List<CompletableFuture<Reply>> calls = new ArrayList<>();
            try (Connection blocker = PG.connection(); Statement statement = blocker.createStatement()) {
                // The refresh that wins the lock waits inside PostgreSQL until this transaction ends.
                blocker.setAutoCommit(false);
                statement.execute("LOCK TABLE workouts IN ACCESS EXCLUSIVE MODE");
                for (int i = 0; i < CALLS; i++) {
                    AdminClient demo = i % 2 == 0 ? a : b;
                    calls.add(demo.sendAsync(demo.request(REFRESH).POST(BodyPublishers.noBody())
                            .timeout(Duration.ofSeconds(60)).build()));
                }
                Await.until((CALLS - 1) + " refreshes answered while one runs",
                        () -> calls.stream().filter(CompletableFuture::isDone).count() == CALLS - 1,
                        Duration.ofSeconds(60));
                assertThat(PG.libraryLocksHeld()).isEqualTo(1);
                blocker.commit();
            }

            List<Reply> replies = calls.stream().map(CompletableFuture::join).toList();
            Map<Integer, Long> statuses = replies.stream()
                    .collect(Collectors.groupingBy(Reply::status, Collectors.counting()));
            assertThat(statuses).containsOnly(Map.entry(200, 1L), Map.entry(409, (long) CALLS - 1));
            assertThat(replies.stream().filter(reply -> reply.status() == 409).map(Reply::message))
                    .containsOnly("refresh already in progress");
            assertThat(a.get(HISTORY).json().get("items").size()).as("one history row more")
                    .isEqualTo(runsBefore + 1);
            assertThat(PG.libraryLocksHeld()).isZero();
        }
    }

    /** A demo pointed at the proxy, as a user would start it; no jobs, so that only these calls refresh. */
    private static DemoSettings behindTheProxy(String token) {
        return parse("--port", "0", "--database-url", BOUNCER.jdbcUrl(), "--database-user", PG.user(),
                "--database-password", PG.password(), "--admin-token", token, "--no-jobs",
                "--lock-mode", "transaction").settings();
    }

    private static DemoServer parse(String... args) {
        DemoServer demo = new DemoServer();
        new CommandLine(demo).parseArgs(args);
        return demo;
    }
}
