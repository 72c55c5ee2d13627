package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.ValueKind;
import dev.ayb.matviews.collections.internal.query.FilterCheck;
import dev.ayb.matviews.collections.internal.query.FilterNode;
import dev.ayb.matviews.collections.internal.query.FilterNode.Literal;
import dev.ayb.matviews.collections.internal.query.FilterNode.Operator;

/**
 * Turns a filter {@link FilterCheck} passed into a WHERE condition. Columns are the view's real columns,
 * written as quoted identifiers; operators come from the fixed {@link Operator} list; every value is a bind
 * parameter cast to the column's type by PostgreSQL ({@code "col" = CAST(? AS integer)}). So the SQL text is
 * made only of this class's words and the catalog's names, whatever the filter says.
 */
public final class FilterSql {
    private final CollectionView view;

    private FilterSql(CollectionView view) {
        this.view = view;
    }

    /** @param filter a filter {@link FilterCheck#check} accepted for this view */
    public static Sql render(FilterNode filter, CollectionView view) {
        Sql sql = new Sql();
        new FilterSql(view).render(filter, sql);
        return sql;
    }

    private void render(FilterNode node, Sql sql) {
        if (node instanceof FilterNode.Junction junction) {
            sql.append("(");
            for (int i = 0; i < junction.parts().size(); i++) {
                if (i > 0) {
                    sql.append(junction.all() ? " AND " : " OR ");
                }
                render(junction.parts().get(i), sql);
            }
            sql.append(")");
        } else if (node instanceof FilterNode.Comparison comparison) {
            comparison(comparison, sql);
        } else {
            in((FilterNode.In) node, sql);
        }
    }

    private void comparison(FilterNode.Comparison comparison, Sql sql) {
        CollectionColumn column = column(comparison.column());
        Operator operator = comparison.operator();
        Literal value = comparison.value();
        if (value.kind() == Literal.Kind.NULL) {
            sql.append(Sql.column(column)).append(operator == Operator.EQUAL ? " IS NULL" : " IS NOT NULL");
            return;
        }
        if (operator == Operator.LIKE || operator == Operator.NOT_LIKE) {
            // Without a % the value matches anywhere in the column's text.
            String pattern = value.text().indexOf('%') >= 0 ? value.text() : "%" + value.text() + "%";
            like(column, operator, pattern, sql);
            return;
        }
        sql.append(Sql.column(column)).append(" ").append(operator.sql()).append(" ").bindAs(value.text(), column);
    }

    /**
     * A character string column with its type's own LIKE, as {@code col LIKE 'x'} would run: char(n) with its
     * padding, citext case-insensitively, each in the column's collation. Any other type has no LIKE, so its
     * text form is matched, which makes {@code ~} work on every column.
     */
    private static void like(CollectionColumn column, Operator operator, String pattern, Sql sql) {
        if (column.kind() == ValueKind.CHARACTER) {
            sql.append(Sql.column(column));
        } else {
            sql.append("CAST(").append(Sql.column(column)).append(" AS text)");
        }
        sql.append(" ").append(operator.sql()).append(" CAST(").bind(pattern).append(" AS text)");
    }

    private void in(FilterNode.In in, Sql sql) {
        CollectionColumn column = column(in.column());
        sql.append(Sql.column(column)).append(" IN (");
        for (int i = 0; i < in.values().size(); i++) {
            sql.append(i > 0 ? ", " : "").bindAs(in.values().get(i).text(), column);
        }
        sql.append(")");
    }

    private CollectionColumn column(String name) {
        return view.column(name).orElseThrow(() -> new IllegalStateException("an unchecked filter: " + name));
    }
}
