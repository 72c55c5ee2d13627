package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.SortKey;
import dev.ayb.matviews.collections.ValueKind;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of one page: a SELECT of the requested columns (plus each sort key as text, from which the next
 * cursor is made) and, separately, the count. Built from a checked {@link PageRequest}: identifiers and
 * type names from the catalog, values as bind parameters.
 *
 * <p>One row more than the page is fetched: it says whether there is a next page, so a cursor is only handed
 * out when it leads somewhere.
 */
public final class PageQuery {
    private PageQuery() {
    }

    public static Sql rows(CollectionView view, PageRequest request) {
        // The page is chosen from the columns as stored, and only its rows are converted (arrays to JSON, sort
        // keys to text): a conversion in the scan's own list would run on every row the scan passes over,
        // the OFFSET's skipped rows included (page 20 of 50 casts 1,000 keys for 51 rows). The outer SELECT
        // is a projection of the limited subquery, which PostgreSQL never flattens, so its rows keep their order.
        return new Sql().append("SELECT ").append(convertedList(view, request)).append(" FROM (")
                .append(storedRows(view, request)).append(") AS stored");
    }

    private static Sql storedRows(CollectionView view, PageRequest request) {
        int limit = request.perPage() + 1;
        Sql sql = new Sql().append("SELECT ").append(storedList(view, request)).append(" FROM ");
        if (request.after() == null) {
            sql.append(view.name().quoted());
            where(sql, filter(view, request), null);
            orderBy(sql, request.order());
            return sql.append(" LIMIT ").bind(limit).append(" OFFSET ").bind(request.offset());
        }
        List<Sql> after = Keyset.after(request.order(), request.after().keys());
        if (after.size() > 1 && request.order().equals(view.uniqueKey())) {
            // In the unique index's own order each condition is one index range, but an OR of them is not:
            // PostgreSQL would walk the index from its start filtering row by row. A UNION ALL of the
            // conditions, each ordered and limited, reads at most limit rows per condition instead.
            String columns = String.join(", ", storedColumns(view, request));
            sql.append("(");
            for (int i = 0; i < after.size(); i++) {
                sql.append(i > 0 ? " UNION ALL (" : "(").append("SELECT ").append(columns)
                        .append(" FROM ").append(view.name().quoted());
                where(sql, filter(view, request), after.get(i));
                orderBy(sql, request.order());
                sql.append(" LIMIT ").bind(limit).append(")");
            }
            sql.append(") AS page");
        } else {
            sql.append(view.name().quoted());
            where(sql, filter(view, request), any(after));
        }
        orderBy(sql, request.order());
        return sql.append(" LIMIT ").bind(limit);
    }

    public static Sql count(CollectionView view, PageRequest request) {
        Sql sql = new Sql().append("SELECT count(*) FROM ").append(view.name().quoted());
        where(sql, filter(view, request), null);
        return sql;
    }

    /** How many columns {@link #rows} selects: the fields, then the sort keys when they are carried. */
    static int columnCount(CollectionView view, PageRequest request) {
        int columns = request.fields().size() + (carriesKeys(view) ? request.order().size() : 0);
        // A view without addressable columns still selects one: NULL.
        return Math.max(columns, 1);
    }

    /** The request's filter as a condition; null without one. */
    private static Sql filter(CollectionView view, PageRequest request) {
        return request.filter() == null ? null : FilterSql.render(request.filter(), view);
    }

    /** Whether the rows carry their sort keys as text after the requested columns (for the next cursor). */
    static boolean carriesKeys(CollectionView view) {
        return view.hasUniqueKey();
    }

    /**
     * The stored columns the page is chosen by and answers with: the requested columns, then each sort key the
     * rows carry that is not among them, each once, so that in the common case (every column, in the view's
     * order) the scan returns its rows as stored, with no projection per row. Each item is named by its position
     * ({@code "0"}, {@code "1"}...): ORDER BY looks up output names before the view's columns, so an output named
     * like a column could change what it sorts by. A name starting with a digit is never a valid identifier, so
     * never an addressable column.
     */
    private static List<String> storedColumns(CollectionView view, PageRequest request) {
        Set<String> columns = new LinkedHashSet<>();
        request.fields().forEach(column -> columns.add(Sql.column(column)));
        if (carriesKeys(view)) {
            request.order().forEach(key -> columns.add(Sql.column(key.column())));
        }
        return new ArrayList<>(columns);
    }

    private static String storedList(CollectionView view, PageRequest request) {
        List<String> columns = storedColumns(view, request);
        if (columns.isEmpty()) {
            // A view without addressable columns still needs a SELECT list.
            return "NULL";
        }
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            list.append(i > 0 ? ", " : "").append(columns.get(i)).append(" AS ").append(position(i));
        }
        return list.toString();
    }

    /**
     * The page's rows as read: the requested columns, arrays through {@code array_to_json} so their elements keep
     * their JSON types (exact numerics, nested json), then each sort key as PostgreSQL's text form, which casts
     * back to the column's type exactly when the cursor returns. Rows are read by position.
     */
    private static String convertedList(CollectionView view, PageRequest request) {
        List<String> stored = storedColumns(view, request);
        if (stored.isEmpty()) {
            return "NULL";
        }
        List<String> items = new ArrayList<>();
        for (CollectionColumn column : request.fields()) {
            String value = "stored." + position(stored.indexOf(Sql.column(column)));
            items.add(column.kind() == ValueKind.ARRAY ? "pg_catalog.array_to_json(" + value + ")" : value);
        }
        if (carriesKeys(view)) {
            for (SortKey key : request.order()) {
                items.add("CAST(stored." + position(stored.indexOf(Sql.column(key.column()))) + " AS text)");
            }
        }
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            list.append(i > 0 ? ", " : "").append(items.get(i)).append(" AS ").append(position(i));
        }
        return list.toString();
    }

    private static String position(int index) {
        return "\"" + index + "\"";
    }

    private static void where(Sql sql, Sql filter, Sql condition) {
        if (filter == null && condition == null) {
            return;
        }
        sql.append(" WHERE ");
        if (filter != null) {
            sql.append("(").append(filter).append(")");
        }
        if (filter != null && condition != null) {
            sql.append(" AND ");
        }
        if (condition != null) {
            sql.append("(").append(condition).append(")");
        }
    }

    /** The conditions ORed together; FALSE when there are none (the cursor was at the very end). */
    private static Sql any(List<Sql> conditions) {
        if (conditions.isEmpty()) {
            return new Sql().append("FALSE");
        }
        Sql sql = new Sql();
        for (int i = 0; i < conditions.size(); i++) {
            sql.append(i > 0 ? " OR (" : "(").append(conditions.get(i)).append(")");
        }
        return sql;
    }

    private static void orderBy(Sql sql, List<SortKey> order) {
        if (!order.isEmpty()) {
            sql.append(" ORDER BY ").append(Sql.orderBy(order));
        }
    }
}
