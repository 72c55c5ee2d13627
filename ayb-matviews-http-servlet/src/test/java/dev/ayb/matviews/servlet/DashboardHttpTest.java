package dev.ayb.matviews.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /admin/}: the dashboard's static files, served without a token, from a fixed list, with strict headers. */
class DashboardHttpTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("/admin/", "text/html"),
            Map.entry("/admin/index.html", "text/html"),
            Map.entry("/admin/app.js", "text/javascript"),
            Map.entry("/admin/api.js", "text/javascript"),
            Map.entry("/admin/views.js", "text/javascript"),
            Map.entry("/admin/schedules.js", "text/javascript"),
            Map.entry("/admin/events.js", "text/javascript"),
            Map.entry("/admin/dom.js", "text/javascript"),
            Map.entry("/admin/chart.js", "text/javascript"),
            Map.entry("/admin/health.js", "text/javascript"),
            Map.entry("/admin/jobs.js", "text/javascript"),
            Map.entry("/admin/app.css", "text/css"),
            Map.entry("/admin/favicon.svg", "image/svg+xml"));

    private AdminApi api;

    @BeforeEach
    void start() {
        api = AdminApi.start(PG);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Reply get(String path) {
        return api.send(api.unauthenticated(path).GET().build());
    }

    @Test
    void everyFileIsServedWithoutATokenInItsMediaTypeWithStrictHeaders() {
        MEDIA_TYPES.forEach((path, mediaType) -> {
            Reply reply = get(path);

            assertThat(reply.status()).as(path).isEqualTo(200);
            assertThat(reply.header("Content-Type")).as(path).startsWith(mediaType);
            assertThat(reply.header("Cache-Control")).as(path).isEqualTo("no-cache");
            assertThat(reply.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(reply.header("Content-Security-Policy")).as(path)
                    .startsWith("default-src 'self'; script-src 'self'; style-src 'self';")
                    .doesNotContain("unsafe-inline");
            assertThat(reply.header("ETag")).as(path).matches("\"[0-9a-f]{32}\"");
            assertThat(reply.body()).as(path).isNotBlank();
        });
        assertThat(get("/admin/").body()).contains("<script type=\"module\" src=\"app.js\"></script>");
    }

    @Test
    void adminWithoutTheSlashRedirectsToTheDashboardSoItsRelativeLinksResolve() {
        Reply reply = get("/admin");

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).isEqualTo("/admin/");
        assertThat(api.send(api.unauthenticated("/admin").method("HEAD", BodyPublishers.noBody()).build()).status())
                .isEqualTo(302);
    }

    @Test
    void underAContextPathTheRedirectKeepsIt() {
        try (AdminApi mounted = AdminApi.start(PG, "/app", "/*")) {
            Reply redirect = mounted.send(mounted.unauthenticated("/app/admin").GET().build());
            Reply page = mounted.send(mounted.unauthenticated("/app/admin/").GET().build());

            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.header("Location")).isEqualTo("/app/admin/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
        }
    }

    @Test
    void mappedAtAdminAsAWebappKeepingItsOtherPathsTheDashboardIsAtTheSamePlace() {
        try (AdminApi mounted = AdminApi.start(PG, "/", "/admin/*")) {
            Reply redirect = mounted.send(mounted.unauthenticated("/admin").GET().build());
            Reply page = mounted.send(mounted.unauthenticated("/admin/").GET().build());
            Reply script = mounted.send(mounted.unauthenticated("/admin/app.js").GET().build());

            assertThat(redirect.status()).isEqualTo(302);
            assertThat(redirect.header("Location")).isEqualTo("/admin/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.header("Content-Type")).startsWith("text/javascript");
        }
    }

    @Test
    void headAnswersTheHeadersAndLengthWithoutABody() {
        Reply full = get("/admin/app.js");
        Reply head = api.send(api.unauthenticated("/admin/app.js").method("HEAD", BodyPublishers.noBody()).build());

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(full.body().getBytes().length));
        assertThat(head.header("ETag")).isEqualTo(full.header("ETag"));
    }

    @Test
    void aKnownETagIsAnswered304WithoutABody() {
        String etag = get("/admin/app.css").header("ETag");

        Reply again = api.send(api.unauthenticated("/admin/app.css").header("If-None-Match", etag).GET().build());
        Reply other = api.send(api.unauthenticated("/admin/app.css").header("If-None-Match", "\"0\"").GET().build());

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(again.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(other.status()).isEqualTo(200);
    }

    @Test
    void onlyTheListedFilesAreServedAndNoPathLeavesTheDashboard() {
        for (String path : List.of("/admin/nothing.js", "/admin/APP.JS", "/admin/dashboard/index.html",
                "/admin/DashboardRoutes.class", "/admin/index.html/x", "/admin/..%2fpom.xml",
                "/admin/%2e%2e%2fDashboardRoutes.class", "/admin/dev/ayb/matviews/servlet/dashboard/app.js",
                "/admin/app.js%00.html")) {
            Reply reply = get(path);

            assertThat(reply.status()).as(path).isIn(400, 404);
            // Jetty answers an ambiguous encoded path 400 with its own error page; never with a dashboard file.
            assertThat(reply.body()).as(path).doesNotContain("import ").doesNotContain("ayb matviews admin");
        }
    }

    @Test
    void writesAreRefusedAndTheApiStillNeedsTheToken() {
        Reply post = api.send(api.unauthenticated("/admin/").POST(BodyPublishers.ofString("x")).build());
        Reply apiCall = get("/api/admin/matviews");

        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(apiCall.status()).isEqualTo(401);
    }

    @Test
    void theTokenIsNeverPartOfTheDashboardsFiles() {
        HttpRequest withToken = api.request("/admin/").GET().build();

        Reply reply = api.send(withToken);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).doesNotContain(api.token());
    }
}
