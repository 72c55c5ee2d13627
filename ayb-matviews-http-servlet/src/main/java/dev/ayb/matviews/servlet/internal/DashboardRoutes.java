package dev.ayb.matviews.servlet.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /admin/}: the admin dashboard, a single-page app of static files shipped in this jar (no build step,
 * nothing fetched from elsewhere). {@code GET /admin} redirects to {@code /admin/}, which answers
 * {@code index.html}; {@code GET /admin/{file}} answers one of a fixed list of files, so no request path ever
 * reaches the class path or the file system, and any other name is a 404.
 *
 * <p>These routes are not authenticated: the files hold no data. The page asks for the admin token and sends
 * it with each API call. Every answer is revalidated ({@code Cache-Control: no-cache} with an ETag, so an
 * upgraded jar is picked up at once) and carries a strict Content-Security-Policy: scripts, styles and
 * connections from this origin only, nothing inline, no framing.
 */
public final class DashboardRoutes implements RouteGroup {
    static final String BASE = "/admin";
    static final String INDEX = "index.html";
    static final String RESOURCE_DIRECTORY = "/dev/ayb/matviews/servlet/dashboard/";

    /** No inline script or style anywhere; {@code connect-src 'self'} limits the API calls to this origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** Every file the dashboard has, with its media type: the only names {@code /admin/{file}} answers. */
    static final Map<String, String> FILES = Map.ofEntries(
            Map.entry(INDEX, "text/html; charset=utf-8"),
            Map.entry("app.css", "text/css; charset=utf-8"),
            Map.entry("app.js", "text/javascript; charset=utf-8"),
            Map.entry("api.js", "text/javascript; charset=utf-8"),
            Map.entry("dom.js", "text/javascript; charset=utf-8"),
            Map.entry("chart.js", "text/javascript; charset=utf-8"),
            Map.entry("views.js", "text/javascript; charset=utf-8"),
            Map.entry("schedules.js", "text/javascript; charset=utf-8"),
            Map.entry("events.js", "text/javascript; charset=utf-8"),
            Map.entry("listing.js", "text/javascript; charset=utf-8"),
            Map.entry("health.js", "text/javascript; charset=utf-8"),
            Map.entry("jobs.js", "text/javascript; charset=utf-8"),
            Map.entry("favicon.svg", "image/svg+xml"));

    private final Map<String, Asset> assets;

    /** Reads every file once; a jar missing one is broken, so that fails here, at start-up. */
    public DashboardRoutes() {
        Map<String, Asset> loaded = new LinkedHashMap<>();
        FILES.forEach((name, contentType) -> loaded.put(name, Asset.load(name, contentType)));
        this.assets = Map.copyOf(loaded);
    }

    @Override
    public void addTo(Router.Builder router) {
        // RequestPath drops a trailing slash, so /admin and /admin/ reach the same handler, which tells them apart.
        router.add("GET", BASE, this::root)
                .add("HEAD", BASE, this::root)
                .add("GET", BASE + "/{file}", this::file)
                .add("HEAD", BASE + "/{file}", this::file);
    }

    /**
     * {@code /admin/} is the page; {@code /admin} is redirected there, so that the page's relative links
     * ({@code app.js}, {@code ../api/admin/...}) resolve under {@code /admin/}.
     */
    private ApiResponse root(ApiRequest request) {
        String uri = request.servletRequest().getRequestURI();
        if (uri == null || !uri.endsWith("/")) {
            return new ApiResponse(302, null, Map.of("Location", request.absolutePath(BASE + "/"),
                    "Cache-Control", "no-cache"));
        }
        return serve(assets.get(INDEX), request);
    }

    private ApiResponse file(ApiRequest request) {
        Asset asset = assets.get(request.variable("file"));
        if (asset == null) {
            return ErrorResponses.notFound();
        }
        return serve(asset, request);
    }

    private static ApiResponse serve(Asset asset, ApiRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-cache");
        headers.put("ETag", asset.etag());
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        if (matches(request.header("If-None-Match"), asset.etag())) {
            return new ApiResponse(304, null, headers);
        }
        ApiResponse answer = ApiResponse.encoded(200, asset.contentType(), asset.bytes());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            answer = answer.withHeader(header.getKey(), header.getValue());
        }
        return answer;
    }

    /** RFC 9110 §13.1.2: {@code *} or a list of tags, compared weakly. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String trimmed = tag.strip();
            if (trimmed.equals("*") || withoutWeakPrefix(trimmed).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static String withoutWeakPrefix(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** One file's bytes, never changed once loaded (they are answered without copying). */
    private record Asset(String contentType, byte[] bytes, String etag) {
        static Asset load(String name, String contentType) {
            String resource = RESOURCE_DIRECTORY + name;
            try (InputStream in = DashboardRoutes.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard file " + resource + " is missing from the jar");
                }
                byte[] bytes = in.readAllBytes();
                return new Asset(contentType, bytes, "\"" + sha256(bytes) + "\"");
            } catch (IOException e) {
                throw new UncheckedIOException("reading the dashboard file " + resource + " failed", e);
            }
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime provides SHA-256", e);
            }
        }
    }
}
