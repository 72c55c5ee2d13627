package dev.ayb.matviews.servlet.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Method + path template → handler. A path matched by no template is {@link NotFound}; a path whose most
 * specific template has no handler for the method is {@link MethodNotAllowed}, carrying the methods it
 * does have for the {@code Allow} header. Immutable once built, so it is safe for concurrent requests.
 */
public final class Router {
    /** Templates most specific first, each with its handlers by method. */
    private final Map<PathTemplate, Map<String, Handler>> routes;
    /** Per template, the methods an {@code Allow} header lists (all routed ones but the unlisted). */
    private final Map<PathTemplate, Set<String>> listed;

    private Router(Map<PathTemplate, Map<String, Handler>> routes, Map<PathTemplate, Set<String>> listed) {
        this.routes = routes;
        this.listed = listed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Resolution resolve(String method, List<String> path) {
        for (Map.Entry<PathTemplate, Map<String, Handler>> route : routes.entrySet()) {
            Optional<Map<String, String>> variables = route.getKey().match(path);
            if (variables.isEmpty()) {
                continue;
            }
            Handler handler = route.getValue().get(method);
            if (handler == null) {
                return new MethodNotAllowed(listed.get(route.getKey()));
            }
            return new Found(handler, route.getKey().toString(), variables.get());
        }
        return new NotFound();
    }

    /** What {@link #resolve} found for a request. */
    public sealed interface Resolution permits Found, NotFound, MethodNotAllowed {
    }

    /** @param route the route's template, which names it in logs without echoing caller text */
    public record Found(Handler handler, String route, Map<String, String> variables) implements Resolution {
        public Found {
            variables = Map.copyOf(variables);
        }
    }

    public record NotFound() implements Resolution {
    }

    public record MethodNotAllowed(Set<String> allowed) implements Resolution {
        public MethodNotAllowed {
            allowed = Collections.unmodifiableSet(new TreeSet<>(allowed));
        }

        /** The {@code Allow} header's value, e.g. {@code GET, POST}. */
        public String allowHeader() {
            return String.join(", ", allowed);
        }
    }

    public static final class Builder {
        private final Map<PathTemplate, Map<String, Handler>> routes = new TreeMap<>();
        private final Map<String, PathTemplate> byShape = new LinkedHashMap<>();
        private final Map<PathTemplate, Set<String>> unlisted = new HashMap<>();

        private Builder() {
        }

        /** @throws IllegalStateException when the method and path are already routed */
        public Builder add(String method, String template, Handler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(handler, "handler");
            PathTemplate parsed = PathTemplate.parse(template);
            PathTemplate existing = byShape.putIfAbsent(parsed.shape(), parsed);
            if (existing != null && !existing.equals(parsed)) {
                throw new IllegalStateException(template + " matches the same paths as " + existing);
            }
            Map<String, Handler> handlers = routes.computeIfAbsent(byShape.get(parsed.shape()),
                    key -> new LinkedHashMap<>());
            if (handlers.putIfAbsent(method, handler) != null) {
                throw new IllegalStateException(method + " " + template + " is routed twice");
            }
            return this;
        }

        /**
         * Routes a method whose handler only refuses it with an answer of its own (e.g. a 405 with a specific
         * message for writes to a read-only resource). Such a method is not listed in the {@code Allow}
         * header of other refused methods, since it is not allowed either.
         */
        public Builder addUnlisted(String method, String template, Handler handler) {
            add(method, template, handler);
            unlisted.computeIfAbsent(byShape.get(PathTemplate.parse(template).shape()), key -> new HashSet<>())
                    .add(method);
            return this;
        }

        public Builder add(RouteGroup group) {
            group.addTo(this);
            return this;
        }

        public Router build() {
            Map<PathTemplate, Map<String, Handler>> frozen = new LinkedHashMap<>();
            Map<PathTemplate, Set<String>> listed = new HashMap<>();
            routes.forEach((template, handlers) -> {
                frozen.put(template, Map.copyOf(handlers));
                Set<String> methods = new TreeSet<>(handlers.keySet());
                methods.removeAll(unlisted.getOrDefault(template, Set.of()));
                listed.put(template, Collections.unmodifiableSet(methods));
            });
            return new Router(Collections.unmodifiableMap(frozen), listed);
        }
    }
}
