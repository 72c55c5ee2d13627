package dev.ayb.matviews.collections.internal.query;

import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionQuery;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.SortKey;
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
 * @param filter      the filter, its columns and values checked against the view ({@link FilterCheck}), or null
 * @param filterReadsCurrentTime whether a value of the filter means another time at every read
 * @param after       the cursor to continue from, or null
 * @param cacheKey    the parameters as they affect the rows: the query part of its {@code DataVersion}
 */
public record PageRequest(int page, int perPage, List<CollectionColumn> fields, List<SortKey> order, FilterNode filter,
                          boolean filterReadsCurrentTime, boolean skipTotal, Cursor after, String cacheKey) {
    public static final int DEFAULT_PER_PAGE = CollectionQuery.DEFAULT_PER_PAGE;
    public static final int MAX_PER_PAGE = CollectionQuery.MAX_PER_PAGE;

    public PageRequest {
        fields = List.copyOf(fields);
        order = List.copyOf(order);
    }

    /** @throws dev.ayb.matviews.MatviewException 400 codes naming the parameter that is wrong */
    public static PageRequest parse(CollectionQuery query, CollectionView view) {
        Function<String, Optional<String>> parameter = query::parameter;
        Optional<String> pageText = parameter.apply("page");
        int perPage = parameter.apply("perPage").map(text -> integer("perPage", text, 1, MAX_PER_PAGE))
                .orElse(DEFAULT_PER_PAGE);
        boolean skipTotal = parameter.apply("skipTotal").map(PageRequest::bool).orElse(false);
        List<CollectionColumn> fields = parameter.apply("fields").filter(text -> !text.isBlank())
                .map(text -> fields(text, view)).orElse(view.columns());
        List<SortKey> order = order(parameter.apply("sort").filter(text -> !text.isBlank())
                .map(text -> sort(text, view)).orElse(List.of()), view);
        String filterText = parameter.apply("filter").orElse("");
        FilterNode filterNode = FilterParser.parse(filterText);
        boolean filterReadsCurrentTime = filterNode != null && FilterCheck.check(filterNode, view);
        Cursor after = parameter.apply("after").filter(text -> !text.isBlank())
                .map(text -> cursor(text, order, view)).orElse(null);
        if (after != null && pageText.isPresent()) {
            throw Refusals.invalidParameter("page cannot be combined with after: the cursor knows its page");
        }
        int page = after != null ? after.page()
                : pageText.map(text -> integer("page", text, 1, Integer.MAX_VALUE)).orElse(1);
        String cacheKey = String.join("\n", "page=" + page, "perPage=" + perPage, "order=" + Cursor.orderSpec(order),
                "fields=" + fields.stream().map(CollectionColumn::name).collect(Collectors.joining(",")),
                "filter=" + filterText.strip(), "skipTotal=" + skipTotal,
                "after=" + (after == null ? "" : after.encode()));
        return new PageRequest(page, perPage, fields, order, filterNode, filterReadsCurrentTime, skipTotal, after,
                cacheKey);
    }

    /**
     * Whether the rows asked for change as time passes although the view does not: a filter value or cursor
     * key such as {@code 'today'} ({@link CurrentTimeValues}). Such a request gets neither a data version nor a kept
     * count.
     */
    public boolean readsCurrentTime() {
        if (filterReadsCurrentTime) {
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
    public long offset() {
        return after != null ? 0 : (long) (page - 1) * perPage;
    }

    private static int integer(String name, String text, int min, int max) {
        String message = name + " must be an integer between " + min + " and " + max;
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw Refusals.invalidParameter(message + ", not " + Refusals.quote(text));
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw Refusals.invalidParameter(message + ", not " + text);
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
        throw Refusals.invalidParameter("skipTotal must be true or false, not " + Refusals.quote(text));
    }

    private static List<CollectionColumn> fields(String text, CollectionView view) {
        Set<CollectionColumn> fields = new LinkedHashSet<>();
        for (String name : text.split(",", -1)) {
            String trimmed = name.strip();
            if (trimmed.isEmpty()) {
                throw Refusals.invalidFields("empty column name in " + Refusals.quote(text));
            }
            fields.add(view.column(trimmed).orElseThrow(() -> Refusals.invalidFields(
                    "unknown column " + Refusals.quote(trimmed) + " in " + view.name())));
        }
        return new ArrayList<>(fields);
    }

    /** {@code -total_minutes,name}: descending with {@code -}, ascending with {@code +} or nothing. */
    private static List<SortKey> sort(String text, CollectionView view) {
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String term : text.split(",", -1)) {
            String trimmed = term.strip();
            boolean descending = trimmed.startsWith("-");
            String name = descending || trimmed.startsWith("+") ? trimmed.substring(1).strip() : trimmed;
            if (name.isEmpty()) {
                throw Refusals.invalidSort("empty column name in " + Refusals.quote(text));
            }
            CollectionColumn column = view.column(name).orElseThrow(() -> Refusals.invalidSort(
                    "unknown column " + Refusals.quote(name) + " in " + view.name()));
            if (!seen.add(name)) {
                throw Refusals.invalidSort("column " + Refusals.quote(name) + " is named twice");
            }
            keys.add(new SortKey(column, descending));
        }
        return keys;
    }

    /** The requested order made total by the unique key, or the unique key's own order by default. */
    private static List<SortKey> order(List<SortKey> requested, CollectionView view) {
        List<SortKey> order = new ArrayList<>(requested);
        Set<String> named = requested.stream().map(key -> key.column().name()).collect(Collectors.toSet());
        for (SortKey key : view.uniqueKey()) {
            if (!named.contains(key.column().name())) {
                order.add(key);
            }
        }
        return order;
    }

    private static Cursor cursor(String text, List<SortKey> order, CollectionView view) {
        if (!view.hasUniqueKey()) {
            throw Refusals.invalidCursor(view.name() + " has no usable unique index, so it cannot be paged"
                    + " by cursor; use page");
        }
        Cursor cursor = Cursor.decode(text);
        if (!cursor.order().equals(Cursor.orderSpec(order))) {
            throw Refusals.invalidCursor("the cursor belongs to another sort order; send the same sort as"
                    + " the request that returned it");
        }
        if (cursor.keys().size() != order.size() || cursor.page() < 2) {
            throw Refusals.invalidCursor("not a cursor this API issued (pass nextCursor back unchanged)");
        }
        return cursor;
    }
}
