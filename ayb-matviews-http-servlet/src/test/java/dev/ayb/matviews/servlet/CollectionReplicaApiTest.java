package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.ReplicaExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/collections} served from a real hot standby, and what a replica that is down answers. */
class CollectionReplicaApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();
    @RegisterExtension
    static final ReplicaExtension REPLICA = new ReplicaExtension(PG);

    private CollectionsApi primary;

    @BeforeEach
    void start() {
        CollectionSchema.create(PG);
        primary = CollectionsApi.start(PG);
        primary.registerAndRefresh("public.scores", RefreshMode.STANDARD);
        REPLICA.waitForReplay();
    }

    @AfterEach
    void stop() {
        primary.close();
        if (!REPLICA.replica().isRunning()) {
            REPLICA.start();
        }
    }

    private CollectionsApi fromReplica(ReadReplica.Fallback fallback) {
        return CollectionsApi.start(primary.matviews(), ReadReplica.of(REPLICA.newDataSource(2))
                .withFallback(fallback).withRetryAfter(Duration.ofSeconds(7)));
    }

    @Test
    void theReplicaServesTheSameRowsWithTheSameValidatorsAndRevalidates() {
        try (CollectionsApi replica = fromReplica(ReadReplica.Fallback.UNAVAILABLE)) {
            Reply fromReplica = replica.get("scores", "perPage", "5");
            Reply fromPrimary = primary.get("scores", "perPage", "5");

            assertThat(fromReplica.status()).isEqualTo(200);
            assertThat(fromReplica.json().get("items")).isEqualTo(fromPrimary.json().get("items"));
            assertThat(fromReplica.header("ETag")).isNotNull().isEqualTo(fromPrimary.header("ETag"));
            assertThat(fromReplica.header("X-Data-As-Of")).isEqualTo(fromPrimary.header("X-Data-As-Of"));
            assertThat(replica.get("scores", Map.of("If-None-Match", fromReplica.header("ETag")), "perPage", "5")
                    .status()).isEqualTo(304);
        }
    }

    @Test
    void aReplicaThatIsDownAnswers503WithTheHostsRetryAfterOrFallsBack() {
        try (CollectionsApi refusing = fromReplica(ReadReplica.Fallback.UNAVAILABLE);
             CollectionsApi falling = fromReplica(ReadReplica.Fallback.PRIMARY)) {
            REPLICA.stop();

            Reply refused = refusing.get("scores");
            Reply served = falling.get("scores");

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("7");
            assertThat(refused.error()).isEqualTo("replica_unavailable");
            assertThat(served.status()).isEqualTo(200);
            assertThat(served.header("ETag")).isEqualTo(primary.get("scores").header("ETag"));
        }
    }
}
