package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Writes are refused whatever the name; reads need the admin token unless the access policy says otherwise. */
class CollectionWritesAndAccessApiTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @BeforeAll
    static void createSchema() {
        CollectionSchema.create(PG);
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(PG.queryLong("SELECT count(*) FROM sentinel")).isEqualTo(CollectionSchema.SENTINEL_ROWS);
        assertThat(PG.queryLong("SELECT count(*) FROM users")).isEqualTo(2);
    }

    private static void assertUnauthorized(Reply reply) {
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.message()).isEqualTo("admin authentication required");
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"ayb-matviews\"");
        assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void everyWriteMethodAnswers405WithTheOriginalsMessageAndAllowGetHead() {
        try (CollectionsApi api = CollectionsApi.start(PG)) {
            for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
                for (String name : List.of("leaderboard", "public.leaderboard", "users", "nothing", "bad-name",
                        "sentinel")) {
                    for (boolean authenticated : new boolean[] {true, false}) {
                        Reply reply = api.send(method, name, authenticated);

                        assertThat(reply.status()).as(method + " " + name).isEqualTo(405);
                        assertThat(reply.body()).isEqualTo("{\"code\":405,\"message\":\"write operations not allowed on"
                                + " materialized_view\",\"error\":\"method_not_allowed\"}");
                        assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
                    }
                }
            }
        }
    }

    @Test
    void anyOtherMethodAnswers405ListingOnlyGetAndHead() {
        try (CollectionsApi api = CollectionsApi.start(PG)) {
            Reply reply = api.send(api.request(CollectionsApi.path("leaderboard"))
                    .method("OPTIONS", BodyPublishers.noBody()).build());

            assertThat(reply.status()).isEqualTo(405);
            assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
        }
    }

    @Test
    void byDefaultReadsNeedTheAdminToken() {
        try (CollectionsApi api = CollectionsApi.start(PG)) {
            assertUnauthorized(api.getAnonymously("leaderboard"));
            assertThat(api.get("leaderboard").status()).isEqualTo(200);
        }
    }

    @Test
    void aRefusedCallerCannotTellWhetherAViewExistsOrWhatItsColumnsAre() {
        try (CollectionsApi api = CollectionsApi.start(PG)) {
            assertUnauthorized(api.getAnonymously("nothing"));
            assertUnauthorized(api.getAnonymously("users"));
            assertUnauthorized(api.getAnonymously("not_yet"));
            assertUnauthorized(api.getAnonymously("leaderboard", "sort", "secret_column"));
        }
    }

    @Test
    void publicViewsAreReadableAnonymouslyAndOthersStillNeedTheToken() {
        try (CollectionsApi api = CollectionsApi.start(PG, CollectionAccess.publicViews("leaderboard", "other.stats"))) {
            assertThat(api.getAnonymously("leaderboard").status()).isEqualTo(200);
            assertThat(api.getAnonymously("public.leaderboard").json().get("totalItems").asInt()).isEqualTo(2);
            assertUnauthorized(api.getAnonymously("scores"));
            assertThat(api.get("scores").status()).isEqualTo(200);
            assertUnauthorized(api.send(api.unauthenticated("/api/admin/matviews").GET().build()));
        }
    }

    /** The definition of done: a front end pages through a registered leaderboard with plain fetches. */
    @Test
    void aBrowserFetchPagesThroughAPublicRegisteredLeaderboardByCursor() {
        try (CollectionsApi api = CollectionsApi.start(PG, CollectionAccess.publicViews("leaderboard"))) {
            api.registerAndRefresh("public.leaderboard", RefreshMode.CONCURRENT);

            Reply first = api.getAnonymously("leaderboard", "perPage", "1", "sort", "-total_minutes");
            Reply second = api.getAnonymously("leaderboard", "perPage", "1", "sort", "-total_minutes",
                    "after", first.json().get("nextCursor").asText());
            Reply revalidated = api.send(api.unauthenticated(CollectionsApi.path("leaderboard", "perPage", "1", "sort",
                    "-total_minutes")).header("If-None-Match", first.header("ETag")).GET().build());

            assertThat(first.json().get("items").get(0).get("name").asText()).isEqualTo("ann");
            assertThat(second.json().get("items").get(0).get("name").asText()).isEqualTo("bob");
            assertThat(second.json().get("page").asInt()).isEqualTo(2);
            assertThat(second.json().get("nextCursor").isNull()).isTrue();
            assertThat(revalidated.status()).isEqualTo(304);
        }
    }

    @Test
    void anyoneLetsEveryCallerReadEveryView() {
        try (CollectionsApi api = CollectionsApi.start(PG, CollectionAccess.anyone())) {
            assertThat(api.getAnonymously("scores").status()).isEqualTo(200);
            assertThat(api.getAnonymously("nothing").status()).isEqualTo(404);
        }
    }

    @Test
    void theHostsOwnCheckDecidesFromTheRequestAndTheView() {
        CollectionAccess analysts = (request, view) -> "analyst".equals(request.getHeader("X-Role"))
                && view.schema().equals("public");
        try (CollectionsApi api = CollectionsApi.start(PG, analysts)) {
            assertThat(api.send(api.unauthenticated(CollectionsApi.path("scores")).header("X-Role", "analyst")
                    .GET().build()).status()).isEqualTo(200);
            assertUnauthorized(api.send(api.unauthenticated(CollectionsApi.path("scores")).header("X-Role", "guest")
                    .GET().build()));
        }
    }

    @Test
    void publicViewsRefusesANameThatIsNotAnIdentifier() {
        assertThatThrownBy(() -> CollectionAccess.publicViews("bad-name"))
                .hasMessage("invalid identifier: \"bad-name\"");
    }
}
