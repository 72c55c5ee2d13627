package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.FreshnessService;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.RegistrationPage;
import dev.ayb.matviews.RegistrationQuery;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.json.WireJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /api/admin/matviews}: registrations (each with its freshness), discovery, manual refresh (alone, with a
 * cascade, or only if changed), history, dependencies and the tracked source tables. Each handler parses
 * the request, makes one call into the core and maps the result to JSON; every rule (what may be
 * registered, when a refresh may run) is the core's. {@code {ref}} is a registration id or {@code schema.view}.
 */
public final class MatviewRoutes implements RouteGroup {
    static final String BASE = "/api/admin/matviews";
    static final int DEFAULT_HISTORY_LIMIT = 20;

    private final MatviewRegistry registry;
    private final RefreshService refreshes;
    private final FreshnessService freshness;

    public MatviewRoutes(MatviewRegistry registry, RefreshService refreshes, FreshnessService freshness) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.refreshes = Objects.requireNonNull(refreshes, "refreshes");
        this.freshness = Objects.requireNonNull(freshness, "freshness");
    }

    @Override
    public void addTo(Router.Builder router) {
        router.add("GET", BASE, this::list)
                .add("POST", BASE, this::register)
                // A literal segment wins over {ref}: a view named "discovered" is addressed as public.discovered.
                .add("GET", BASE + "/discovered", this::discovered)
                .add("GET", BASE + "/{ref}", this::get)
                .add("PUT", BASE + "/{ref}", this::update)
                .add("PATCH", BASE + "/{ref}", this::update)
                .add("DELETE", BASE + "/{ref}", this::unregister)
                .add("POST", BASE + "/{ref}/refresh", this::refresh)
                .add("GET", BASE + "/{ref}/history", this::history)
                .add("GET", BASE + "/{ref}/dependencies", this::dependencies)
                .add("GET", BASE + "/{ref}/sources", this::sources);
    }

    /**
     * Without paging parameters, every registration ({@code items} and {@code count}). With any of them, one
     * page as the collections API answers one: {@code page}, {@code perPage}, {@code totalItems},
     * {@code totalPages}, {@code items}. The freshness of a list comes from one query, not one per view.
     */
    private ApiResponse list(ApiRequest request) {
        Optional<RegistrationQuery> query = MatviewListQuery.from(request);
        if (query.isEmpty()) {
            List<Registration> registrations = registry.list();
            return ApiResponse.ok(Json.list(registrations, registrationsJson(registrations)));
        }
        RegistrationPage page = registry.list(query.get());
        return ApiResponse.ok(Json.page(page.page(), page.perPage(), page.totalItems(), page.totalPages(),
                page.items(), registrationsJson(page.items())));
    }

    private Function<Registration, ObjectNode> registrationsJson(List<Registration> registrations) {
        Map<UUID, Freshness> states = freshness.of(registrations);
        return r -> WireJson.registration(r, states.get(r.id()));
    }

    private ApiResponse register(ApiRequest request) {
        RegisterRequest body = RegisterRequest.from(request.jsonBody());
        Registration registration = registry.register(body.view(), body.mode(), body.timeouts(),
                body.changeTracking(), body.targetLag());
        return ApiResponse.created(registrationJson(registration),
                request.absolutePath(BASE + "/" + registration.id()));
    }

    private ApiResponse discovered(ApiRequest request) {
        return ApiResponse.ok(Json.list(registry.discover(), WireJson::discoveredView));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(registrationJson(registry.get(ref(request))));
    }

    private ApiResponse update(ApiRequest request) {
        ViewRef ref = ref(request);
        UpdateRequest update = UpdateRequest.from(request.jsonBody());
        Registration current = registry.get(ref);
        ViewRef id = ViewRef.of(current.id());
        RefreshMode mode = update.mode().orElse(current.refreshMode());
        RefreshTimeouts timeouts = update.changesTimeouts() ? update.applyTo(current.timeouts()) : current.timeouts();
        // One call for all fields, so a concurrent change of another field is not half-applied. Tracking is
        // passed only when the body names it: turning it on again re-reads the sources and re-installs triggers.
        Registration updated = update.changeTracking()
                .map(tracking -> registry.update(id, mode, timeouts, tracking))
                .orElseGet(() -> registry.update(id, mode, timeouts));
        if (update.targetLag().given()) {
            // Last, so that a body refused for another field leaves the target as it was.
            updated = registry.updateTargetLag(id, update.targetLag().value());
        }
        return ApiResponse.ok(registrationJson(updated));
    }

    private ApiResponse unregister(ApiRequest request) {
        registry.unregister(ref(request));
        return ApiResponse.noContent();
    }

    /**
     * Without {@code cascade} (or with {@code none}) the original's answer. With a cascade the usual
     * fields are followed by every view's outcome; a failed run answers with the first failure's status
     * and message, plus the same fields, so the caller sees what was and was not refreshed.
     * {@code mode=standard|concurrent} refreshes the view once in that mode, leaving its registration as it
     * is; it applies to one view, so it does not combine with a cascade.
     * {@code ifChanged=true} skips the refresh of a tracked view that is current; whenever {@code ifChanged} is
     * given the answer adds {@code skipped} and {@code reason}. It decides about one view in its registered mode,
     * so it combines with neither a cascade nor {@code mode} (as the refresh job's payload refuses a cascade).
     */
    private ApiResponse refresh(ApiRequest request) {
        Cascade cascade = request.queryParameter("cascade").map(Cascade::fromWire).orElse(Cascade.NONE);
        Optional<RefreshMode> mode = request.queryParameter("mode").map(text -> RefreshMode.fromWire(text, "mode"));
        Optional<Boolean> ifChanged = request.queryParameter("ifChanged").map(MatviewRoutes::ifChanged);
        if (ifChanged.isPresent()) {
            if (cascade != Cascade.NONE) {
                throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "ifChanged cannot be combined with cascade");
            }
            if (mode.isPresent()) {
                throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "ifChanged cannot be combined with mode");
            }
            RefreshResult result = refreshes.refresh(ref(request), RefreshTrigger.HTTP, ifChanged.get());
            return ApiResponse.ok(WireJson.ifChangedResult(result, freshness.of(result.registration())));
        }
        if (mode.isPresent()) {
            if (cascade != Cascade.NONE) {
                throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "mode cannot be combined with cascade");
            }
            return refreshed(refreshes.refresh(ref(request), mode.get(), RefreshTrigger.HTTP));
        }
        if (cascade == Cascade.NONE) {
            return refreshed(refreshes.refresh(ref(request), RefreshTrigger.HTTP));
        }
        CascadeRefreshResult result = refreshes.refresh(ref(request), cascade, RefreshTrigger.HTTP);
        ObjectNode json = WireJson.cascadeResult(result, freshness.of(result.registration()));
        if (result.succeeded()) {
            return ApiResponse.ok(json);
        }
        ApiResponse failure = ErrorResponses.from(result.failure());
        ObjectNode body = ((ObjectNode) failure.body()).setAll(json);
        return new ApiResponse(failure.status(), body, failure.headers());
    }

    private ApiResponse refreshed(RefreshResult result) {
        return ApiResponse.ok(WireJson.refreshResult(result, freshness.of(result.registration())));
    }

    /** The base tables a tracked view reads; empty for a view that is not tracked. */
    private ApiResponse sources(ApiRequest request) {
        return ApiResponse.ok(Json.list(freshness.sources(ref(request)), WireJson::sourceTable));
    }

    private ObjectNode registrationJson(Registration registration) {
        return WireJson.registration(registration, freshness.of(registration));
    }

    private ApiResponse dependencies(ApiRequest request) {
        return ApiResponse.ok(WireJson.dependencies(registry.dependencies(ref(request))));
    }

    private ApiResponse history(ApiRequest request) {
        int limit = request.queryParameter("limit").map(MatviewRoutes::limit).orElse(DEFAULT_HISTORY_LIMIT);
        return ApiResponse.ok(Json.list(registry.history(ref(request), limit), WireJson::refreshRun));
    }

    private static ViewRef ref(ApiRequest request) {
        return ViewRef.parse(request.variable("ref"));
    }

    private static boolean ifChanged(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "ifChanged must be 'true' or 'false'");
        };
    }

    /** Only the syntax is checked here; the range is the registry's rule. */
    private static int limit(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT,
                    "limit must be an integer between 1 and " + MatviewRegistry.MAX_HISTORY_LIMIT);
        }
    }
}
