package dev.ayb.matviews.servlet;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.collections.ReadReplica;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.servlet.internal.ApiException;
import dev.ayb.matviews.servlet.internal.ApiRequest;
import dev.ayb.matviews.servlet.internal.AdminEventRoutes;
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
import dev.ayb.matviews.servlet.internal.events.EventStreams;
import dev.ayb.matviews.servlet.internal.events.JobEventFrames;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
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
 *
 * <p>Refresh events are streamed (Server-Sent Events) at {@code GET /api/collections/{name}/events}, under the
 * same rule as the view's rows, and, with the scheduler's job and schedule events, at
 * {@code GET /api/admin/events}; see {@link Builder} for their limits.
 */
public final class AybAdminServlet extends HttpServlet {
    /** Largest request body accepted (1 MiB); larger ones are answered 413 without being read. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The longest one query of a collection read may run unless the host chooses otherwise. */
    public static final Duration DEFAULT_COLLECTION_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(AybAdminServlet.class);
    private static final List<String> ADMIN_PREFIX = List.of("api", "admin");

    /** Event streams open at once per servlet unless the host chooses otherwise. */
    public static final int DEFAULT_MAX_EVENT_STREAMS = 1_000;
    /** How often an idle event stream gets a heartbeat comment unless the host chooses otherwise. */
    public static final Duration DEFAULT_EVENT_HEARTBEAT = Duration.ofSeconds(15);
    /** How many bytes one event stream may have queued for a slow client unless the host chooses otherwise. */
    public static final int DEFAULT_EVENT_BUFFER_BYTES = 256 * 1024;

    private final Router router;
    private final AdminAuthenticator authenticator;
    private final EventStreams streams;

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
        this(builder(matviews, authenticator).collectionAccess(collectionAccess)
                .collectionStatementTimeout(collectionStatementTimeout));
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
        this(builder(jobs, authenticator).collectionAccess(collectionAccess)
                .collectionStatementTimeout(collectionStatementTimeout));
    }

    private AybAdminServlet(Builder builder) {
        AybJobs jobs = builder.jobs;
        AybMatviews matviews = jobs.matviews();
        this.authenticator = builder.authenticator;
        this.streams = new EventStreams(matviews.events(), builder.maxEventStreams, builder.eventHeartbeat,
                builder.eventBufferBytes, List.of(JobEventFrames.source(jobs)));
        this.router = Router.builder()
                .add(new MatviewRoutes(matviews.registry(), matviews.refreshes(), matviews.freshness()))
                .add(new HealthRoutes(matviews.health()))
                .add(new ScheduleRoutes(jobs.schedules(), jobs.jobsEnabled()))
                .add(new JobRoutes(jobs.schedules(), jobs.jobsEnabled()))
                .add(new AdminEventRoutes(streams))
                .add(new CollectionRoutes(builder.collectionAccess, this.authenticator,
                        AybCollections.builder(matviews).statementTimeout(builder.collectionStatementTimeout)
                                .replica(builder.collectionReplica).pageCache(builder.collectionPageCacheBytes)
                                .build(), streams, builder.collectionPageCacheBytes))
                .add(new DashboardRoutes())
                .build();
    }

    /** A servlet over the library alone: schedules are managed as data, jobs do not run here. */
    public static Builder builder(AybMatviews matviews, AdminAuthenticator authenticator) {
        // Schedules available, jobs not run here: what an instance built without the scheduler's options has.
        return builder(AybJobs.builder(Objects.requireNonNull(matviews, "matviews")).build(), authenticator);
    }

    /** A servlet over the scheduler's instance: its schedules, job types and, when enabled, its job queue. */
    public static Builder builder(AybJobs jobs, AdminAuthenticator authenticator) {
        return new Builder(jobs, authenticator);
    }

    /** The number of event streams open on this servlet now. */
    public int openEventStreams() {
        return streams.openStreams();
    }

    /**
     * Ends every open event stream (their clients reconnect, to another instance if this one is going away) and
     * stops their heartbeats; streams opened afterwards are served as usual. Call it before stopping the
     * container gracefully: a graceful stop waits for the requests in flight to finish, and an event stream
     * never does, so without it the stop waits out its whole timeout.
     */
    public void closeEventStreams() {
        streams.close();
    }

    /** Closes the open event streams and stops their heartbeats. */
    @Override
    public void destroy() {
        streams.close();
        super.destroy();
    }

    /**
     * The servlet's options; each has a default, so {@code builder(...).build()} is the two-argument constructor.
     *
     * <p>Event streams ({@code GET /api/admin/events}, {@code GET /api/collections/{name}/events}) use async
     * servlet I/O: mount the servlet with async support (Jetty's {@code ServletHolder} and a
     * {@code @WebServlet(asyncSupported = true)} do; in {@code web.xml}, {@code <async-supported>true}).
     */
    public static final class Builder {
        private final AybJobs jobs;
        private final AdminAuthenticator authenticator;
        private CollectionAccess collectionAccess = CollectionAccess.adminOnly();
        private Duration collectionStatementTimeout = DEFAULT_COLLECTION_STATEMENT_TIMEOUT;
        private @Nullable ReadReplica collectionReplica;
        private long collectionPageCacheBytes = AybCollections.DEFAULT_PAGE_CACHE_BYTES;
        private int maxEventStreams = DEFAULT_MAX_EVENT_STREAMS;
        private Duration eventHeartbeat = DEFAULT_EVENT_HEARTBEAT;
        private int eventBufferBytes = DEFAULT_EVENT_BUFFER_BYTES;

        private Builder(AybJobs jobs, AdminAuthenticator authenticator) {
            this.jobs = Objects.requireNonNull(jobs, "jobs");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        /** Who besides admins may read {@code /api/collections/{name}} and its events (default: admins only). */
        public Builder collectionAccess(CollectionAccess access) {
            this.collectionAccess = Objects.requireNonNull(access, "collectionAccess");
            return this;
        }

        /**
         * The longest one query of a collection read may run (PostgreSQL's {@code statement_timeout}, set for
         * the read's statement only); a read that exceeds it answers 503.
         */
        public Builder collectionStatementTimeout(Duration timeout) {
            this.collectionStatementTimeout = Objects.requireNonNull(timeout, "collectionStatementTimeout");
            return this;
        }

        /**
         * Serves {@code /api/collections/{name}} from a replica ({@link ReadReplica}: its lag bound, and whether a
         * replica that is down or behind falls back to the primary or answers 503 with {@code Retry-After});
         * everything else stays on the primary. Null (the default): collections are read from the primary.
         */
        public Builder collectionReplica(@Nullable ReadReplica replica) {
            this.collectionReplica = replica;
            return this;
        }

        /**
         * How much memory pages of {@code /api/collections/{name}} kept between reads may hold, as rows and again
         * as written answers (each estimated up to this many bytes); 0 keeps none. A page is kept under the version
         * of the data it was read from, the version its ETag names, and answered again without reading its rows
         * while the view's state is of that version (see {@link AybCollections.Builder#pageCache}). Default
         * {@link AybCollections#DEFAULT_PAGE_CACHE_BYTES}.
         */
        public Builder collectionPageCache(long maxBytes) {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("collectionPageCache must be 0 or more bytes");
            }
            this.collectionPageCacheBytes = maxBytes;
            return this;
        }

        /** Event streams open at once on this servlet; one more is answered 503 with {@code Retry-After}. */
        public Builder maxEventStreams(int maxStreams) {
            if (maxStreams < 1) {
                throw new IllegalArgumentException("maxEventStreams must be at least 1");
            }
            this.maxEventStreams = maxStreams;
            return this;
        }

        /** How often an idle event stream gets a comment line, so proxies do not close it (default 15 s). */
        public Builder eventHeartbeat(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("eventHeartbeat must be positive");
            }
            this.eventHeartbeat = interval;
            return this;
        }

        /**
         * The most bytes one event stream may have waiting for its client (default 256 KiB); a client that falls
         * further behind is disconnected, and catches up with {@code Last-Event-ID} when it reconnects.
         */
        public Builder eventBufferBytes(int bytes) {
            if (bytes < 4096) {
                throw new IllegalArgumentException("eventBufferBytes must be at least 4096");
            }
            this.eventBufferBytes = bytes;
            return this;
        }

        public AybAdminServlet build() {
            return new AybAdminServlet(this);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // HEAD gets the GET answer's headers, Content-Length included, without its body.
        ApiResponse answer = answer(request);
        if (answer.isStreamed()) {
            return;
        }
        ResponseWriter.write(answer, response, !"HEAD".equals(request.getMethod()));
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
