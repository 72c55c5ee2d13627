package dev.ayb.matviews.servlet.internal.collections;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SQL text and its bind values, built together so that a placeholder and its value can never drift apart.
 * {@link #append} takes only text this package wrote or took from the catalog (keywords, quoted identifiers,
 * type names); anything that came with the request goes through {@link #bind}.
 */
final class Sql {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> values = new ArrayList<>();
    private boolean readsCurrentTime;

    Sql append(String sql) {
        text.append(sql);
        return this;
    }

    /** A placeholder for a value: a {@link String}, {@link Integer} or {@link Long}. */
    Sql bind(Object value) {
        if (!(value instanceof String || value instanceof Integer || value instanceof Long)) {
            throw new IllegalArgumentException("unsupported bind value: " + value);
        }
        text.append('?');
        values.add(value);
        return this;
    }

    /** {@code CAST(? AS type)}: a request value turned into the column's type by PostgreSQL's input rules. */
    Sql bindAs(String value, ViewColumn column) {
        readsCurrentTime |= CurrentTimeValues.readsCurrentTime(column, value);
        return append("CAST(").bind(value).append(" AS ").append(column.castType()).append(")");
    }

    Sql append(Sql other) {
        text.append(other.text);
        values.addAll(other.values);
        readsCurrentTime |= other.readsCurrentTime;
        return this;
    }

    /** Whether a value bound here means another time at every read ({@link CurrentTimeValues}). */
    boolean readsCurrentTime() {
        return readsCurrentTime;
    }

    boolean isEmpty() {
        return text.length() == 0;
    }

    String text() {
        return text.toString();
    }

    List<Object> values() {
        return Collections.unmodifiableList(values);
    }

    void bindTo(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value instanceof String string) {
                statement.setString(i + 1, string);
            } else if (value instanceof Integer integer) {
                statement.setInt(i + 1, integer);
            } else {
                statement.setLong(i + 1, (Long) value);
            }
        }
    }

    /** The text only: the values may be the caller's and are never logged. */
    @Override
    public String toString() {
        return text.toString();
    }
}
