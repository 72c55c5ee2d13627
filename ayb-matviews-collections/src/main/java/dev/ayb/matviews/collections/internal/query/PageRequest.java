package dev.ayb.matviews.servlet.internal.collections;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The query parameters of a collection read, checked against the view's real columns: anything that does
 * not name a column, parse as a number in range or decode as a cursor is refused with a 400 saying so,
 * before any SQL is built. Unknown parameters are ignored, as clients of the original send extra ones
 * ({@code expand}, {@code requestKey}).
 *
 * @param order       the order rows are served in: the {@code sort} columns followed by the unique key's
 *                    columns not already in it (so the order is total and paging stable), or the unique key
 *                    alone by default; empty only for a view without a unique key and without {@code sort}
 * @param filter      the WHERE condition, or null
 * @param after       the cursor to continue from, or null
 * @param cacheKey    the parameters as they affect the answer, for the ETag
 */
record PageRequest(int page, int perPage, List<ViewColumn> fields, List<SortKey> order, Sql filter,
                   boolean skipTotal, Cursor after, ResponseFormat format, String cacheKey) {
    static final int DEFAULT_PER_PAGE = 20;
    static final int MAX_PER_PAGE = 500;

    PageRequest {
        fields = List.copyOf(fields);
        order = List.copyOf(order);
    }

    /**
     * @param parameter a query parameter's first value, decoded
     * @param accept    the {@code Accept} header, or null
     */
    static PageRequest parse(Function<String, Optional<String>> parameter, String accept, ViewShape view) {
        Optional<String> pageText = parameter.apply("page");
        int perPage = parameter.apply("perPage").map(text -> integer("perPage", text, 1, MAX_PER_PAGE))
                .orElse(DEFAULT_PER_PAGE);
        boolean skipTotal = parameter.apply("skipTotal").map(PageRequest::bool).orElse(false);
        List<ViewColumn> fields = parameter.apply("fields").filter(text -> !text.isBlank())
                .map(text -> fields(text, view)).orElse(view.columns());
        List<SortKey> order = order(parameter.apply("sort").filter(text -> !text.isBlank())
                .map(text -> sort(text, view)).orElse(List.of()), view);
        String filterText = parameter.apply("filter").orElse("");
        FilterNode filterNode = FilterParser.parse(filterText);
        Sql filter = filterNode == null ? null : FilterSql.render(filterNode, view);
        Cursor after = parameter.apply("after").filter(text -> !text.isBlank())
                .map(text -> cursor(text, order, view)).orElse(null);
        if (after != null && pageText.isPresent()) {
            throw CollectionErrors.invalidParameter("page cannot be combined with after: the cursor knows its page");
        }
        int page = after != null ? after.page()
                : pageText.map(text -> integer("page", text, 1, Integer.MAX_VALUE)).orElse(1);
        ResponseFormat format = ResponseFormat.choose(parameter.apply("format").orElse(null), accept);
        String cacheKey = String.join("\n", "page=" + page, "perPage=" + perPage, "order=" + SortKey.spec(order),
                "fields=" + fields.stream().map(ViewColumn::name).collect(Collectors.joining(",")),
                "filter=" + filterText.strip(), "skipTotal=" + skipTotal,
                "after=" + (after == null ? "" : after.encode()), "format=" + format);
        return new PageRequest(page, perPage, fields, order, filter, skipTotal, after, format, cacheKey);
    }

    /**
     * Whether the rows asked for change as time passes although the view does not: a filter value or cursor
     * key such as {@code 'today'} ({@link CurrentTimeValues}). Such a request gets neither an ETag nor a kept
     * count.
     */
    boolean readsCurrentTime() {
        if (filter != null && filter.readsCurrentTime()) {
            return true;
        }
        if (after != null) {
            for (int i = 0; i < order.size(); i++) {
                String key = after.keys().get(i);
                if (key != null && CurrentTimeValues.readsCurrentTime(order.get(i).column(), key)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Rows skipped before this page when paging by number; 0 when continuing from a cursor. */
    long offset() {
        return after != null ? 0 : (long) (page - 1) * perPage;
    }

    private static int integer(String name, String text, int min, int max) {
        String message = name + " must be an integer between " + min + " and " + max;
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw CollectionErrors.invalidParameter(message + ", not " + CollectionErrors.quote(text));
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw CollectionErrors.invalidParameter(message + ", not " + text);
        }
        return (int) value;
    }

    private static boolean bool(String text) {
        if (text.equalsIgnoreCase("true") || text.equals("1")) {
            return true;
        }
        if (text.equalsIgnoreCase("false") || text.equals("0")) {
            return false;
        }
        throw CollectionErrors.invalidParameter("skipTotal must be true or false, not " + CollectionErrors.quote(text));
    }

    private static List<ViewColumn> fields(String text, ViewShape view) {
        Set<ViewColumn> fields = new LinkedHashSet<>();
        for (String name : text.split(",", -1)) {
            String trimmed = name.strip();
            if (trimmed.isEmpty()) {
                throw CollectionErrors.invalidFields("empty column name in " + CollectionErrors.quote(text));
            }
            fields.add(view.column(trimmed).orElseThrow(() -> CollectionErrors.invalidFields(
                    "unknown column " + CollectionErrors.quote(trimmed) + " in " + view.name())));
        }
        return new ArrayList<>(fields);
    }

    /** {@code -total_minutes,name}: descending with {@code -}, ascending with {@code +} or nothing. */
    private static List<SortKey> sort(String text, ViewShape view) {
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String term : text.split(",", -1)) {
            String trimmed = term.strip();
            boolean descending = trimmed.startsWith("-");
            String name = descending || trimmed.startsWith("+") ? trimmed.substring(1).strip() : trimmed;
            if (name.isEmpty()) {
                throw CollectionErrors.invalidSort("empty column name in " + CollectionErrors.quote(text));
            }
            ViewColumn column = view.column(name).orElseThrow(() -> CollectionErrors.invalidSort(
                    "unknown column " + CollectionErrors.quote(name) + " in " + view.name()));
            if (!seen.add(name)) {
                throw CollectionErrors.invalidSort("column " + CollectionErrors.quote(name) + " is named twice");
            }
            keys.add(new SortKey(column, descending));
        }
        return keys;
    }

    /** The requested order made total by the unique key, or the unique key's own order by default. */
    private static List<SortKey> order(List<SortKey> requested, ViewShape view) {
        List<SortKey> order = new ArrayList<>(requested);
        Set<String> named = requested.stream().map(key -> key.column().name()).collect(Collectors.toSet());
        for (SortKey key : view.uniqueKey()) {
            if (!named.contains(key.column().name())) {
                order.add(key);
            }
        }
        return order;
    }

    private static Cursor cursor(String text, List<SortKey> order, ViewShape view) {
        if (!view.hasUniqueKey()) {
            throw CollectionErrors.invalidCursor(view.name() + " has no usable unique index, so it cannot be paged"
                    + " by cursor; use page");
        }
        Cursor cursor = Cursor.decode(text);
        if (!cursor.order().equals(SortKey.spec(order))) {
            throw CollectionErrors.invalidCursor("the cursor belongs to another sort order; send the same sort as"
                    + " the request that returned it");
        }
        if (cursor.keys().size() != order.size() || cursor.page() < 2) {
            throw CollectionErrors.invalidCursor("not a cursor this API issued (pass nextCursor back unchanged)");
        }
        return cursor;
    }
}
