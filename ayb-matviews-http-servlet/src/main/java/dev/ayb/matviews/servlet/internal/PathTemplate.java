package dev.ayb.matviews.servlet.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A route's path such as {@code /api/admin/matviews/{ref}/refresh}: literal segments, and {@code {name}}
 * segments that match any one non-empty segment and capture it.
 */
final class PathTemplate implements Comparable<PathTemplate> {
    private final String text;
    private final List<String> segments;

    private PathTemplate(String text, List<String> segments) {
        this.text = text;
        this.segments = segments;
    }

    static PathTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + template);
        }
        List<String> segments = RequestPath.split(template);
        for (String segment : segments) {
            if (isVariable(segment) ? segment.length() < 3 : segment.contains("{") || segment.contains("}")) {
                throw new IllegalArgumentException("bad segment '" + segment + "' in path template " + template);
            }
        }
        return new PathTemplate(template, List.copyOf(segments));
    }

    /** The captured variables when the path matches this template. */
    Optional<Map<String, String>> match(List<String> path) {
        if (path.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (isVariable(segment)) {
                variables.put(segment.substring(1, segment.length() - 1), path.get(i));
            } else if (!segment.equals(path.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(variables);
    }

    /**
     * The template with variable names erased: two templates of the same shape match the same paths, so
     * they must be one route.
     */
    String shape() {
        List<String> erased = new ArrayList<>(segments.size());
        for (String segment : segments) {
            erased.add(isVariable(segment) ? "{}" : segment);
        }
        return "/" + String.join("/", erased);
    }

    /**
     * More specific first: at the first segment where they differ in kind, a literal comes before a
     * variable, so {@code /matviews/discovered} is tried before {@code /matviews/{ref}}.
     */
    @Override
    public int compareTo(PathTemplate other) {
        int common = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < common; i++) {
            boolean mine = isVariable(segments.get(i));
            boolean theirs = isVariable(other.segments.get(i));
            if (mine != theirs) {
                return mine ? 1 : -1;
            }
        }
        int bySize = Integer.compare(segments.size(), other.segments.size());
        return bySize != 0 ? bySize : shape().compareTo(other.shape());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathTemplate template && template.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean isVariable(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }
}
