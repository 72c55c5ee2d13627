package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.testkit.BlockedRefresh;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reads alongside refreshes and alongside each other. */
class CollectionConcurrencyApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final String REFRESH = "/api/admin/matviews/public.leaderboard/refresh";

    @BeforeEach
    void createSchema() {
        CollectionSchema.create(PG);
    }

    private static CompletableFuture<Reply> refresh(CollectionsApi api) {
        return api.sendAsync(api.request(REFRESH).POST(BodyPublishers.noBody()).build());
    }

    @Test
    void aReadCompletesWhileAConcurrentRefreshOfTheSameViewIsRunning() throws Exception {
        try (CollectionsApi api = CollectionsApi.start(PG)) {
            api.registerAndRefresh("public.leaderboard", RefreshMode.CONCURRENT);
            PG.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (2, 100)");

            try (BlockedRefresh<Reply> running = BlockedRefresh.startAsync(PG, "workouts", () -> refresh(api))) {
                Reply during = api.getAsync("leaderboard", "filter", "id = 2").get(10, TimeUnit.SECONDS);

                assertThat(during.status()).isEqualTo(200);
                assertThat(during.json().get("items").get(0).get("total_minutes").asInt()).isEqualTo(20);
                running.release();
                assertThat(running.result().status()).isEqualTo(200);
            }
            assertThat(api.get("leaderboard", "filter", "id = 2").json().get("items").get(0).get("total_minutes")
                    .asInt()).isEqualTo(120);
        }
    }

    @Test
    void aReadBehindAStandardRefreshWaitsAtMostTheStatementTimeoutThenAnswers503() throws Exception {
        try (CollectionsApi api = CollectionsApi.start(PG, CollectionAccess.adminOnly(), Duration.ofMillis(300))) {
            api.registerAndRefresh("public.leaderboard", RefreshMode.STANDARD);

            try (BlockedRefresh<Reply> running = BlockedRefresh.startAsync(PG, "workouts", () -> refresh(api))) {
                Reply during = api.get("leaderboard");

                assertThat(during.status()).isEqualTo(503);
                assertThat(during.error()).isEqualTo("read_timeout");
                assertThat(during.message())
                        .isEqualTo("reading public.leaderboard took longer than the statement timeout of 300 ms");
                assertThat(during.header("Retry-After")).isEqualTo("60");
                running.release();
                assertThat(running.result().status()).isEqualTo(200);
            }
            assertThat(api.get("leaderboard").status()).isEqualTo(200);
        }
    }

    @Test
    void manyMoreConcurrentReadsThanPooledConnectionsAreAllAnswered() {
        try (CollectionsApi api = CollectionsApi.start(PG)) {
            api.registerAndRefresh("public.scores", RefreshMode.STANDARD);
            List<CompletableFuture<Reply>> reads = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                reads.add(api.getAsync("scores", "perPage", "50", "page", String.valueOf(i + 1)));
            }

            assertThat(reads.stream().map(CompletableFuture::join).toList()).allSatisfy(reply -> {
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.json().get("items")).hasSize(50);
            });
        }
    }
}
