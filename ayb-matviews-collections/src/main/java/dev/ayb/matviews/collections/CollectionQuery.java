package dev.ayb.matviews.collections;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What to read of a view, as the collections API's query parameters say it: {@code page}, {@code perPage},
 * {@code sort}, {@code fields}, {@code filter}, {@code after} and {@code skipTotal}, kept as text. They are
 * checked against the view's real columns when the read runs (after the view is found), and anything wrong is
 * a {@link dev.ayb.matviews.MatviewException} whose code names the parameter ({@code INVALID_FILTER},
 * {@code INVALID_SORT}, {@code INVALID_FIELDS}, {@code INVALID_CURSOR}, {@code INVALID_PARAMETER}).
 *
 * <pre>{@code
 * CollectionQuery.builder().filter("total_minutes >= 100").sort("-total_minutes").perPage(50).build();
 * CollectionQuery.fromParameters(name -> Optional.ofNullable(request.getParameter(name)));
 * }</pre>
 */
public final class CollectionQuery {
    /** The parameters a read looks at; any other is ignored, as clients send extra ones. */
    public static final List<String> PARAMETERS = List.of("page", "perPage", "sort", "fields", "filter", "after",
            "skipTotal");
    public static final int DEFAULT_PER_PAGE = 20;
    public static final int MAX_PER_PAGE = 500;

    private static final CollectionQuery FIRST_PAGE = new CollectionQuery(Map.of());

    private final Map<String, String> parameters;

    private CollectionQuery(Map<String, String> parameters) {
        this.parameters = Map.copyOf(parameters);
    }

    /** The first page of {@value #DEFAULT_PER_PAGE} rows, every column, in the unique key's order. */
    public static CollectionQuery firstPage() {
        return FIRST_PAGE;
    }

    /** @param parameter a parameter's value by its name, e.g. the first value of an HTTP query parameter */
    public static CollectionQuery fromParameters(Function<String, Optional<String>> parameter) {
        Map<String, String> values = new HashMap<>();
        for (String name : PARAMETERS) {
            parameter.apply(name).ifPresent(value -> values.put(name, value));
        }
        return new CollectionQuery(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A parameter's value as given; empty when it was not. */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof CollectionQuery query && query.parameters.equals(parameters);
    }

    @Override
    public int hashCode() {
        return parameters.hashCode();
    }

    /** The parameters' names only: a filter's values are the caller's and are never logged. */
    @Override
    public String toString() {
        return "CollectionQuery" + parameters.keySet();
    }

    /** Typed setters for the parameters; the same checks apply when the read runs. */
    public static final class Builder {
        private final Map<String, String> parameters = new HashMap<>();

        private Builder() {
        }

        /** Paging by number, from 1; not with {@link #after}. */
        public Builder page(int page) {
            return set("page", Integer.toString(page));
        }

        /** 1 to {@value CollectionQuery#MAX_PER_PAGE}; {@value CollectionQuery#DEFAULT_PER_PAGE} by default. */
        public Builder perPage(int perPage) {
            return set("perPage", Integer.toString(perPage));
        }

        /** Comma-separated columns, {@code -} before one for descending: {@code -total_minutes,name}. */
        public Builder sort(String sort) {
            return set("sort", sort);
        }

        /** The columns to return, in this order; every column by default. */
        public Builder fields(String... columns) {
            return set("fields", String.join(",", columns));
        }

        /** The filter language of the collections API, e.g. {@code (points > 5 && name ~ 'ann') || id IN (1, 2)}. */
        public Builder filter(String filter) {
            return set("filter", filter);
        }

        /** Continues after a page: its {@link CollectionPage#nextCursor()}, with the same sort. */
        public Builder after(String cursor) {
            return set("after", cursor);
        }

        /** Totals -1 and no count query. */
        public Builder skipTotal(boolean skipTotal) {
            return set("skipTotal", Boolean.toString(skipTotal));
        }

        public CollectionQuery build() {
            return new CollectionQuery(parameters);
        }

        private Builder set(String name, String value) {
            parameters.put(name, Objects.requireNonNull(value, name));
            return this;
        }
    }
}
