package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.SortKey;
import java.util.ArrayList;
import java.util.List;

/**
 * "The rows after this cursor, in this order" as SQL: a list of disjoint conditions whose union is exactly
 * those rows. NULLs count as PostgreSQL orders them (last ascending, first descending), so rows with a NULL
 * in a key column are neither skipped nor repeated.
 *
 * <p>For keys k1..kn and cursor values v1..vn, condition i is "k1..k(i-1) equal v1..v(i-1), and ki after vi",
 * where "ki after vi" is: ascending, {@code ki > vi} or {@code ki IS NULL} (two conditions); ascending after a
 * NULL, nothing; descending, {@code ki < vi}; descending after a NULL, {@code ki IS NOT NULL}. Each condition
 * is equalities on a key prefix plus one range on the next key, which a btree index on the keys answers
 * directly, so a page deep in the view costs what the first one costs.
 */
public final class Keyset {
    private Keyset() {
    }

    /** @param values the cursor's values, one per order key (null for SQL NULL) */
    public static List<Sql> after(List<SortKey> order, List<String> values) {
        if (order.size() != values.size()) {
            throw new IllegalArgumentException("one cursor value per sort key");
        }
        List<Sql> conditions = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            SortKey key = order.get(i);
            String value = values.get(i);
            CollectionColumn column = key.column();
            if (!key.descending() && value != null) {
                conditions.add(prefix(order, values, i).append(Sql.column(column)).append(" > ").bindAs(value, column));
                conditions.add(prefix(order, values, i).append(Sql.column(column)).append(" IS NULL"));
            } else if (key.descending() && value != null) {
                conditions.add(prefix(order, values, i).append(Sql.column(column)).append(" < ").bindAs(value, column));
            } else if (key.descending()) {
                conditions.add(prefix(order, values, i).append(Sql.column(column)).append(" IS NOT NULL"));
            }
        }
        return conditions;
    }

    /** {@code k1 = v1 AND ... AND k(i-1) = v(i-1) AND }, NULL values matched with IS NULL. */
    private static Sql prefix(List<SortKey> order, List<String> values, int length) {
        Sql sql = new Sql();
        for (int j = 0; j < length; j++) {
            CollectionColumn column = order.get(j).column();
            if (values.get(j) == null) {
                sql.append(Sql.column(column)).append(" IS NULL AND ");
            } else {
                sql.append(Sql.column(column)).append(" = ").bindAs(values.get(j), column).append(" AND ");
            }
        }
        return sql;
    }
}
