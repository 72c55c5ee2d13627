package dev.ayb.matviews.collections.internal.query;

import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.ValueKind;
import dev.ayb.matviews.collections.internal.query.FilterNode.Literal;
import dev.ayb.matviews.collections.internal.query.FilterNode.Operator;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Checks a parsed filter against the view, before any SQL is built: every column is one of the view's
 * (in its exact case), null is compared only with = and !=, never in an IN list, and a number column gets
 * numbers. A filter that passes renders to SQL without further checks. Parts are checked left to right, so the
 * first mistake in the text is the one reported.
 */
public final class FilterCheck {
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private final CollectionView view;
    private boolean readsCurrentTime;

    private FilterCheck(CollectionView view) {
        this.view = view;
    }

    /**
     * @return whether a value of the filter means another time at every read ({@link CurrentTimeValues})
     * @throws dev.ayb.matviews.MatviewException {@code INVALID_FILTER} for an unknown column or a misplaced value
     */
    public static boolean check(FilterNode filter, CollectionView view) {
        FilterCheck check = new FilterCheck(view);
        check.node(filter);
        return check.readsCurrentTime;
    }

    private void node(FilterNode node) {
        if (node instanceof FilterNode.Junction junction) {
            junction.parts().forEach(this::node);
        } else if (node instanceof FilterNode.Comparison comparison) {
            comparison(comparison);
        } else {
            in((FilterNode.In) node);
        }
    }

    private void comparison(FilterNode.Comparison comparison) {
        CollectionColumn column = column(comparison.column());
        Operator operator = comparison.operator();
        Literal value = comparison.value();
        if (value.kind() == Literal.Kind.NULL) {
            if (operator != Operator.EQUAL && operator != Operator.NOT_EQUAL) {
                throw Refusals.invalidFilter("null can only be compared with = or != (at position "
                        + comparison.position() + ")");
            }
            return;
        }
        if (operator == Operator.LIKE || operator == Operator.NOT_LIKE) {
            // A pattern is matched as text, never read as a time.
            return;
        }
        value(column, value);
    }

    private void in(FilterNode.In in) {
        CollectionColumn column = column(in.column());
        for (Literal value : in.values()) {
            if (value.kind() == Literal.Kind.NULL) {
                throw Refusals.invalidFilter("null cannot be in an IN list (use " + in.column()
                        + " = null), at position " + in.position());
            }
            value(column, value);
        }
    }

    private CollectionColumn column(String name) {
        return view.column(name).orElseThrow(() -> Refusals.invalidFilter(
                "unknown column " + Refusals.quote(name) + " in " + view.name()));
    }

    /**
     * Numbers are checked here, so the message can name the column; anything else (a date, a uuid, a boolean
     * spelled 'yes') is left to PostgreSQL's input rules, whose refusal is also a 400.
     */
    private void value(CollectionColumn column, Literal value) {
        boolean ok = switch (column.kind()) {
            case INTEGER -> value.kind() != Literal.Kind.BOOLEAN && INTEGER.matcher(value.text()).matches();
            case NUMERIC, FLOAT4, FLOAT8 -> value.kind() != Literal.Kind.BOOLEAN && isNumber(value.text());
            default -> true;
        };
        if (!ok) {
            String expected = column.kind() == ValueKind.INTEGER ? "an integer" : "a number";
            throw Refusals.invalidFilter(column.name() + " holds " + column.castType() + " values; "
                    + Refusals.quote(value.text()) + " is not " + expected);
        }
        readsCurrentTime |= CurrentTimeValues.readsCurrentTime(column, value.text());
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
