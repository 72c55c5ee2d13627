package dev.ayb.matviews.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a request points, relative to where the servlet is mounted. Mapped at {@code /*} (or {@code /}),
 * the route path is the whole path after the context path; mapped at {@code /admin-api/*}, it is what
 * follows {@code /admin-api}. Mapped at the library's own roots ({@code /api/admin/*},
 * {@code /api/collections/*}, {@code /admin/*}), as a webapp does to keep the rest of its paths, the
 * route path is again the whole path. Every way, the routes read {@code /api/admin/matviews...}.
 *
 * @param mountPath context path plus the servlet's prefix mapping: what to put before a route path to
 *                  address it from outside (e.g. in a {@code Location} header)
 * @param segments  the route path's non-empty segments, already percent-decoded by the container
 */
public record RequestPath(String mountPath, List<String> segments) {
    public RequestPath {
        segments = List.copyOf(segments);
    }

    public static RequestPath of(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        // With a /* or prefix mapping the servlet path is the mount point and the path info the route;
        // with a default (/) or exact mapping the path info is null and the servlet path is the route.
        if (pathInfo == null) {
            return new RequestPath(request.getContextPath(), split(servletPath));
        }
        List<String> whole = split(servletPath + pathInfo);
        if (isOwnRoot(split(servletPath))) {
            // Mapped at the library's own paths (/api/admin/*, /api/collections/*, /admin/*) in a webapp
            // that keeps the rest of its URL space: the routes keep their full, documented paths.
            return new RequestPath(request.getContextPath(), whole);
        }
        return new RequestPath(request.getContextPath() + servletPath, split(pathInfo));
    }

    /** A prefix mapping that is itself one of the library's route roots. */
    private static boolean isOwnRoot(List<String> mapping) {
        return mapping.equals(List.of("api", "admin")) || mapping.equals(List.of("api", "collections"))
                || mapping.equals(List.of("admin"));
    }

    /** Whether the route path begins with these segments, e.g. {@code api, admin}. */
    public boolean startsWith(List<String> prefix) {
        return segments.size() >= prefix.size() && segments.subList(0, prefix.size()).equals(prefix);
    }

    /** An absolute path for a route path of this servlet, e.g. for a {@code Location} header. */
    public String absolute(String routePath) {
        return mountPath + routePath;
    }

    /** Non-empty segments: {@code //} and a trailing {@code /} do not change which route a path means. */
    static List<String> split(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }
}
