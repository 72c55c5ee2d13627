package dev.ayb.matviews.servlet;

import dev.ayb.matviews.QualifiedName;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who, besides admins, may read a materialized view's rows at {@code GET /api/collections/{name}}.
 *
 * <p>The servlet asks this policy first; when it says no, the servlet's {@link AdminAuthenticator} decides,
 * so whoever may use the admin API may always read. A caller refused by both gets 401
 * {@code admin authentication required}, before anything about the view (whether it exists, its columns)
 * is looked up, so a refused caller cannot probe which views exist.
 *
 * <pre>{@code
 * CollectionAccess.adminOnly();                         // the default: admins only
 * CollectionAccess.publicViews("leaderboard");          // anyone may read public.leaderboard
 * (request, view) -> request.isUserInRole("analyst");   // the host application's own authentication
 * }</pre>
 *
 * <p>The policy decides only whether a view may be read at all. Which rows and columns a reader sees is
 * the database's business: every read runs with the privileges of the role the connection pool logs in
 * as, so row-level security policies and column privileges apply to that role, not to the HTTP caller.
 * Give the pool a role that may read exactly what you are willing to serve; a role that owns the views (or
 * has {@code BYPASSRLS}) bypasses row-level security.
 *
 * <p>Implementations are called concurrently, once per request, and must not log credentials.
 */
@FunctionalInterface
public interface CollectionAccess {

    /** True when the request may read the view without the admin token. */
    boolean allows(HttpServletRequest request, QualifiedName view);

    /** Nobody but admins: reads need what the admin API needs. The default. */
    static CollectionAccess adminOnly() {
        return (request, view) -> false;
    }

    /** Everyone, with or without credentials, may read every materialized view the pool's role can read. */
    static CollectionAccess anyone() {
        return (request, view) -> true;
    }

    /**
     * These views may be read anonymously; others need admin authentication.
     *
     * @param qualifiedNames {@code schema.view}, or {@code view} for one in {@code public}
     * @throws dev.ayb.matviews.MatviewException when a name is not a valid identifier
     */
    static CollectionAccess publicViews(String... qualifiedNames) {
        Objects.requireNonNull(qualifiedNames, "qualifiedNames");
        Set<QualifiedName> views = new HashSet<>();
        for (String name : qualifiedNames) {
            views.add(QualifiedName.parse(name));
        }
        Set<QualifiedName> frozen = Set.copyOf(views);
        return (request, view) -> frozen.contains(view);
    }
}
