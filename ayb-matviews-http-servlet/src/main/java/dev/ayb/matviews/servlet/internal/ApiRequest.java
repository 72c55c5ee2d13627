package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;

/** A routed request: the path variables its template captured, its query parameters and its JSON body. */
public final class ApiRequest {
    private final HttpServletRequest request;
    private final RequestPath path;
    private final Map<String, String> variables;
    private final int maxBodyBytes;

    public ApiRequest(HttpServletRequest request, RequestPath path, Map<String, String> variables, int maxBodyBytes) {
        this.request = request;
        this.path = path;
        this.variables = Map.copyOf(variables);
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A variable of the route's template, e.g. {@code ref} of {@code /api/admin/matviews/{ref}}. */
    public String variable(String name) {
        String value = variables.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no variable {" + name + "}");
        }
        return value;
    }

    public Optional<String> queryParameter(String name) {
        return QueryString.first(request.getQueryString(), name);
    }

    /** The first value of a request header; null when absent. */
    public String header(String name) {
        return request.getHeader(name);
    }

    /** The container's request, for checks the host supplies (e.g. an access policy reading its session). */
    public HttpServletRequest servletRequest() {
        return request;
    }

    /** The body as a JSON object; 413, 415 or 400 {@code invalid JSON body} when it is not one. */
    public ObjectNode jsonBody() {
        return JsonBodyReader.readObject(request, maxBodyBytes);
    }

    /** The absolute path of a route path of this servlet, for a {@code Location} header. */
    public String absolutePath(String routePath) {
        return path.absolute(routePath);
    }
}
