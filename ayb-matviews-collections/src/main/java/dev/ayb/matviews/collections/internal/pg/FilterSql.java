package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.servlet.internal.collections.FilterNode.Literal;
import dev.ayb.matviews.servlet.internal.collections.FilterNode.Operator;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Turns a parsed filter into a WHERE condition. Columns are looked up among the view's real columns and
 * written as quoted identifiers; operators come from the fixed {@link Operator} list; every value is a bind
 * parameter cast to the column's type by PostgreSQL ({@code "col" = CAST(? AS integer)}). So the SQL text is
 * made only of this class's words and the catalog's names, whatever the filter says.
 */
final class FilterSql {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private final ViewShape view;

    private FilterSql(ViewShape view) {
        this.view = view;
    }

    /** @throws dev.ayb.matviews.servlet.internal.ApiException 400 for an unknown column or a value of the wrong kind */
    static Sql render(FilterNode filter, ViewShape view) {
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
        ViewColumn column = column(comparison.column());
        Operator operator = comparison.operator();
        Literal value = comparison.value();
        if (value.kind() == Literal.Kind.NULL) {
            if (operator != Operator.EQUAL && operator != Operator.NOT_EQUAL) {
                throw CollectionErrors.invalidFilter("null can only be compared with = or != (at position "
                        + comparison.position() + ")");
            }
            sql.append(column.sql()).append(operator == Operator.EQUAL ? " IS NULL" : " IS NOT NULL");
            return;
        }
        if (operator == Operator.LIKE || operator == Operator.NOT_LIKE) {
            // Without a % the value matches anywhere in the column's text.
            String pattern = value.text().indexOf('%') >= 0 ? value.text() : "%" + value.text() + "%";
            like(column, operator, pattern, sql);
            return;
        }
        checkValue(column, value);
        sql.append(column.sql()).append(" ").append(operator.sql()).append(" ").bindAs(value.text(), column);
    }

    /**
     * A character string column with its type's own LIKE, as {@code col LIKE 'x'} would run: char(n) with its
     * padding, citext case-insensitively, each in the column's collation. Any other type has no LIKE, so its
     * text form is matched, which makes {@code ~} work on every column.
     */
    private static void like(ViewColumn column, Operator operator, String pattern, Sql sql) {
        if (column.kind() == ValueKind.CHARACTER) {
            sql.append(column.sql());
        } else {
            sql.append("CAST(").append(column.sql()).append(" AS text)");
        }
        sql.append(" ").append(operator.sql()).append(" CAST(").bind(pattern).append(" AS text)");
    }

    private void in(FilterNode.In in, Sql sql) {
        ViewColumn column = column(in.column());
        sql.append(column.sql()).append(" IN (");
        for (int i = 0; i < in.values().size(); i++) {
            Literal value = in.values().get(i);
            if (value.kind() == Literal.Kind.NULL) {
                throw CollectionErrors.invalidFilter("null cannot be in an IN list (use " + in.column()
                        + " = null), at position " + in.position());
            }
            checkValue(column, value);
            sql.append(i > 0 ? ", " : "").bindAs(value.text(), column);
        }
        sql.append(")");
    }

    private ViewColumn column(String name) {
        return view.column(name).orElseThrow(() -> CollectionErrors.invalidFilter(
                "unknown column " + CollectionErrors.quote(name) + " in " + view.name()));
    }

    /**
     * Numbers are checked here, so the message can name the column; anything else (a date, a uuid, a boolean
     * spelled 'yes') is left to PostgreSQL's input rules, whose refusal is also a 400.
     */
    private static void checkValue(ViewColumn column, Literal value) {
        boolean ok = switch (column.kind()) {
            case INTEGER -> value.kind() != Literal.Kind.BOOLEAN && INTEGER.matcher(value.text()).matches();
            case NUMERIC, FLOAT4, FLOAT8 -> value.kind() != Literal.Kind.BOOLEAN && isNumber(value.text());
            default -> true;
        };
        if (!ok) {
            String expected = column.kind() == ValueKind.INTEGER ? "an integer" : "a number";
            throw CollectionErrors.invalidFilter(column.name() + " holds " + column.castType() + " values; "
                    + CollectionErrors.quote(value.text()) + " is not " + expected);
        }
    }

    private static boolean isNumber(String text) {
        if (text.equalsIgnoreCase("NaN") || text.equalsIgnoreCase("Infinity") || text.equalsIgnoreCase("-Infinity")) {
            return true;
        }
        try {
            new BigDecimal(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
