package dev.ayb.matviews.collections.internal.query;

import java.util.List;
import java.util.Objects;

/** A parsed filter. Column names are as written; {@link FilterCheck} checks them against the view. */
public sealed interface FilterNode permits FilterNode.Junction, FilterNode.Comparison, FilterNode.In {

    /** Parts joined by AND ({@code all}) or OR; always at least two. */
    record Junction(boolean all, List<FilterNode> parts) implements FilterNode {
        public Junction {
            parts = List.copyOf(parts);
        }
    }

    /** {@code column op value}. */
    record Comparison(String column, Operator operator, Literal value, int position) implements FilterNode {
        public Comparison {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code column IN (v1, v2, ...)}. */
    record In(String column, List<Literal> values, int position) implements FilterNode {
        public In {
            values = List.copyOf(values);
        }
    }

    /** A value as written: its kind and its text (a string without its quotes). */
    record Literal(Kind kind, String text) {
        public enum Kind { STRING, NUMBER, BOOLEAN, NULL }
    }

    /** The filter's operators and the SQL each becomes. */
    enum Operator {
        EQUAL("=", "="),
        NOT_EQUAL("!=", "<>"),
        GREATER(">", ">"),
        LESS("<", "<"),
        GREATER_OR_EQUAL(">=", ">="),
        LESS_OR_EQUAL("<=", "<="),
        LIKE("~", "LIKE"),
        NOT_LIKE("!~", "NOT LIKE");

        private final String symbol;
        private final String sql;

        Operator(String symbol, String sql) {
            this.symbol = symbol;
            this.sql = sql;
        }

        public String symbol() {
            return symbol;
        }

        public String sql() {
            return sql;
        }

        static Operator ofSymbol(String symbol) {
            for (Operator operator : values()) {
                if (operator.symbol.equals(symbol)) {
                    return operator;
                }
            }
            throw new IllegalArgumentException("not an operator: " + symbol);
        }
    }
}
