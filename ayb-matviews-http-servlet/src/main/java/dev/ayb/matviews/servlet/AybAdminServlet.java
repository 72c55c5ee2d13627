package dev.ayb.matviews.servlet;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.servlet.internal.ApiException;
import dev.ayb.matviews.servlet.internal.ApiRequest;
import dev.ayb.matviews.servlet.internal.ApiResponse;
import dev.ayb.matviews.servlet.internal.DashboardRoutes;
import dev.ayb.matviews.servlet.internal.ErrorResponses;
import dev.ayb.matviews.servlet.internal.HealthRoutes;
import dev.ayb.matviews.servlet.internal.JobRoutes;
import dev.ayb.matviews.servlet.internal.MatviewRoutes;
import dev.ayb.matviews.servlet.internal.RequestPath;
import dev.ayb.matviews.servlet.internal.ResponseWriter;
import dev.ayb.matviews.servlet.internal.Router;
import dev.ayb.matviews.servlet.internal.ScheduleRoutes;
import dev.ayb.matviews.servlet.internal.collections.CollectionRoutes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API ({@code /api/admin/matviews...}) as one servlet to mount in the host's webapp, e.g.
 * at {@code /*}:
 *
 * <pre>{@code
 * var servlet = new AybAdminServlet(matviews, AdminAuthenticator.bearerToken(adminToken));
 * context.addServlet(new ServletHolder(servlet), "/*");
 * }</pre>
 *
 * <p>Built from an {@link AybMatviews}, it manages schedules and jobs as data and answers the job queue's routes
 * 503 (jobs do not run here); built from an {@link AybJobs}, it serves that instance's schedules, its job types
 * and, when {@code jobsEnabled}, its job queue.
 *
 * <p>A thin adapter: it authenticates, routes, parses, calls the core and writes JSON. It holds no state
 * of its own beyond a bounded cache of collections' row counts, and is safe for concurrent requests. Every
 * {@code /api/admin} request is authenticated before it is routed; every answer carries
 * {@code Cache-Control: no-store}; a failure the core did not expect is logged and answered 500 without
 * details. Request headers are never logged.
 *
 * <p>It also serves materialized views' rows read-only at {@code GET /api/collections/{name}}, to admins and
 * to whoever the {@link CollectionAccess} policy admits; those answers are revalidated by clients
 * ({@code Cache-Control: private, no-cache} with an ETag) instead of never being stored.
 */
public final class AybAdminServlet extends HttpServlet {
    /** Largest request body accepted (1 MiB); larger ones are answered 413 without being read. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The longest one query of a collection read may run unless the host chooses otherwise. */
    public static final Duration DEFAULT_COLLECTION_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(AybAdminServlet.class);
    private static final List<String> ADMIN_PREFIX = List.of("api", "admin");

    private final Router router;
    private final AdminAuthenticator authenticator;

    /**
     * Collections are readable by admins only; schedules are managed as data, jobs do not run here.
     *
     * @param matviews      the library's entry point, built by the host
     * @param authenticator who may use the admin API, e.g. {@link AdminAuthenticator#bearerToken(String)}
     */
    public AybAdminServlet(AybMatviews matviews, AdminAuthenticator authenticator) {
        this(matviews, authenticator, CollectionAccess.adminOnly());
    }

    /**
     * @param collectionAccess who besides admins may read {@code /api/collections/{name}}, e.g.
     *                         {@link CollectionAccess#publicViews(String...)}
     */
    public AybAdminServlet(AybMatviews matviews, AdminAuthenticator authenticator, CollectionAccess collectionAccess) {
        this(matviews, authenticator, collectionAccess, DEFAULT_COLLECTION_STATEMENT_TIMEOUT);
    }

    /**
     * @param collectionStatementTimeout the longest one query of a collection read may run (PostgreSQL's
     *                                   {@code statement_timeout}, set for the read's transaction only); a read
     *                                   that exceeds it answers 503
     */
    public AybAdminServlet(AybMatviews matviews, AdminAuthenticator authenticator, CollectionAccess collectionAccess,
                           Duration collectionStatementTimeout) {
        // Schedules available, jobs not run here: what an instance built without the scheduler's options has.
        this(AybJobs.builder(matviews).build(), authenticator, collectionAccess, collectionStatementTimeout);
    }

    /**
     * Collections are readable by admins only.
     *
     * @param jobs          the scheduler's entry point (and through it the library's), built by the host
     * @param authenticator who may use the admin API, e.g. {@link AdminAuthenticator#bearerToken(String)}
     */
    public AybAdminServlet(AybJobs jobs, AdminAuthenticator authenticator) {
        this(jobs, authenticator, CollectionAccess.adminOnly());
    }

    /**
     * @param collectionAccess who besides admins may read {@code /api/collections/{name}}, e.g.
     *                         {@link CollectionAccess#publicViews(String...)}
     */
    public AybAdminServlet(AybJobs jobs, AdminAuthenticator authenticator, CollectionAccess collectionAccess) {
        this(jobs, authenticator, collectionAccess, DEFAULT_COLLECTION_STATEMENT_TIMEOUT);
    }

    /**
     * @param collectionStatementTimeout the longest one query of a collection read may run (PostgreSQL's
     *                                   {@code statement_timeout}, set for the read's transaction only); a read
     *                                   that exceeds it answers 503
     */
    public AybAdminServlet(AybJobs jobs, AdminAuthenticator authenticator, CollectionAccess collectionAccess,
                           Duration collectionStatementTimeout) {
        AybMatviews matviews = Objects.requireNonNull(jobs, "jobs").matviews();
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.router = Router.builder()
                .add(new MatviewRoutes(matviews.registry(), matviews.refreshes(), matviews.freshness()))
                .add(new HealthRoutes(matviews.health()))
                .add(new ScheduleRoutes(jobs.schedules(), jobs.jobsEnabled()))
                .add(new JobRoutes(jobs.schedules(), jobs.jobsEnabled()))
                .add(new CollectionRoutes(Objects.requireNonNull(collectionAccess, "collectionAccess"),
                        this.authenticator, AybCollections.of(matviews, collectionStatementTimeout)))
                .add(new DashboardRoutes())
                .build();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // HEAD gets the GET answer's headers, Content-Length included, without its body.
        ResponseWriter.write(answer(request), response, !"HEAD".equals(request.getMethod()));
    }

    private ApiResponse answer(HttpServletRequest request) {
        String route = "(before routing)";
        try {
            RequestPath path = RequestPath.of(request);
            if (path.startsWith(ADMIN_PREFIX) && !authenticator.allows(request)) {
                return ErrorResponses.unauthorized();
            }
            if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                // Refused before routing, so no route needs to remember it and the body is never read.
                return ErrorResponses.from(ApiException.tooLarge(MAX_BODY_BYTES));
            }
            Router.Resolution resolution = router.resolve(request.getMethod(), path.segments());
            if (resolution instanceof Router.MethodNotAllowed notAllowed) {
                return ErrorResponses.methodNotAllowed(notAllowed);
            }
            if (!(resolution instanceof Router.Found found)) {
                return ErrorResponses.notFound();
            }
            route = found.route();
            return found.handler().handle(new ApiRequest(request, path, found.variables(), MAX_BODY_BYTES));
        } catch (MatviewException e) {
            if (e.httpStatus() >= 500) {
                LOG.warn("{} {} failed: {}", request.getMethod(), route, e.getMessage(), e);
            } else {
                LOG.debug("{} {} refused: {}", request.getMethod(), route, e.getMessage());
            }
            return ErrorResponses.from(e);
        } catch (ApiException e) {
            LOG.debug("{} {} refused: {}", request.getMethod(), route, e.getMessage());
            return ErrorResponses.from(e);
        } catch (RuntimeException e) {
            // Only the route template is logged: the path and headers are the caller's text.
            LOG.error("{} {} failed unexpectedly", request.getMethod(), route, e);
            return ErrorResponses.internalError();
        }
    }
}
