package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many callers at once: every one gets an answer, and refreshes of one view never overlap. */
class ConcurrentRequestsTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final int CALLERS = 8;

    private AdminApi api;

    @BeforeEach
    void start() {
        SampleSchema.create(PG);
        api = AdminApi.start(PG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void concurrentReadsAndRefreshesAreAllAnsweredAndOneRefreshAtLeastSucceeds() {
        api.matviews().registry().register(QualifiedName.parse("public.leaderboard"));
        List<CompletableFuture<Reply>> refreshes = new ArrayList<>();
        List<CompletableFuture<Reply>> reads = new ArrayList<>();

        for (int i = 0; i < CALLERS; i++) {
            refreshes.add(api.sendAsync(api.request("/api/admin/matviews/public.leaderboard/refresh")
                    .POST(BodyPublishers.noBody()).build()));
            reads.add(api.sendAsync(api.request("/api/admin/matviews").GET().build()));
        }

        List<Reply> refreshReplies = refreshes.stream().map(CompletableFuture::join).toList();
        List<Reply> readReplies = reads.stream().map(CompletableFuture::join).toList();
        assertThat(readReplies).allSatisfy(reply -> {
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().get("count").asInt()).isEqualTo(1);
        });
        assertThat(refreshReplies).allSatisfy(reply -> assertThat(reply.status()).isIn(200, 409));
        assertThat(refreshReplies).anySatisfy(reply -> assertThat(reply.status()).isEqualTo(200));
        assertThat(refreshReplies).filteredOn(reply -> reply.status() == 409)
                .allSatisfy(reply -> assertThat(reply.message()).isEqualTo("refresh already in progress"));
        long succeeded = refreshReplies.stream().filter(reply -> reply.status() == 200).count();
        assertThat(api.matviews().registry().history(ViewRef.parse("public.leaderboard"), 100))
                .hasSize((int) succeeded)
                .allSatisfy(run -> assertThat(run.status()).isEqualTo(RefreshStatus.SUCCESS));
    }
}
