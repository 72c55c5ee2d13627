package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.CascadeRefreshResult;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshService;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.json.WireJson;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /api/admin/matviews}: registrations, discovery, manual refresh (alone or with a cascade), history
 * and dependencies. Each handler parses
 * the request, makes one call into the core and maps the result to JSON; every rule (what may be
 * registered, when a refresh may run) is the core's. {@code {ref}} is a registration id or {@code schema.view}.
 */
public final class MatviewRoutes implements RouteGroup {
    static final String BASE = "/api/admin/matviews";
    static final int DEFAULT_HISTORY_LIMIT = 20;

    private final MatviewRegistry registry;
    private final RefreshService refreshes;

    public MatviewRoutes(MatviewRegistry registry, RefreshService refreshes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.refreshes = Objects.requireNonNull(refreshes, "refreshes");
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
                .add("GET", BASE + "/{ref}/dependencies", this::dependencies);
    }

    private ApiResponse list(ApiRequest request) {
        return ApiResponse.ok(Json.list(registry.list(), WireJson::registration));
    }

    private ApiResponse register(ApiRequest request) {
        RegisterRequest body = RegisterRequest.from(request.jsonBody());
        Registration registration = registry.register(body.view(), body.mode(), body.timeouts());
        return ApiResponse.created(WireJson.registration(registration),
                request.absolutePath(BASE + "/" + registration.id()));
    }

    private ApiResponse discovered(ApiRequest request) {
        return ApiResponse.ok(Json.list(registry.discover(), WireJson::discoveredView));
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.ok(WireJson.registration(registry.get(ref(request))));
    }

    private ApiResponse update(ApiRequest request) {
        ViewRef ref = ref(request);
        UpdateRequest update = UpdateRequest.from(request.jsonBody());
        Registration current = registry.get(ref);
        // One write for both, so a concurrent change of the other field is not half-applied.
        Registration updated = registry.update(ViewRef.of(current.id()), update.mode().orElse(current.refreshMode()),
                update.changesTimeouts() ? update.applyTo(current.timeouts()) : current.timeouts());
        return ApiResponse.ok(WireJson.registration(updated));
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
     */
    private ApiResponse refresh(ApiRequest request) {
        Cascade cascade = request.queryParameter("cascade").map(Cascade::fromWire).orElse(Cascade.NONE);
        Optional<RefreshMode> mode = request.queryParameter("mode").map(text -> RefreshMode.fromWire(text, "mode"));
        if (mode.isPresent()) {
            if (cascade != Cascade.NONE) {
                throw new MatviewException(ErrorCode.INVALID_ARGUMENT, "mode cannot be combined with cascade");
            }
            return ApiResponse.ok(WireJson.refreshResult(refreshes.refresh(ref(request), mode.get(),
                    RefreshTrigger.HTTP)));
        }
        if (cascade == Cascade.NONE) {
            return ApiResponse.ok(WireJson.refreshResult(refreshes.refresh(ref(request), RefreshTrigger.HTTP)));
        }
        CascadeRefreshResult result = refreshes.refresh(ref(request), cascade, RefreshTrigger.HTTP);
        if (result.succeeded()) {
            return ApiResponse.ok(WireJson.cascadeResult(result));
        }
        ApiResponse failure = ErrorResponses.from(result.failure());
        ObjectNode body = ((ObjectNode) failure.body()).setAll(WireJson.cascadeResult(result));
        return new ApiResponse(failure.status(), body, failure.headers());
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
