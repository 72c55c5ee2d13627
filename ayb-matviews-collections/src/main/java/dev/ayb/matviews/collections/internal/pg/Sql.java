package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.SortKey;
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
public final class Sql {
    private final StringBuilder text = new StringBuilder();
    private final List<Object> values = new ArrayList<>();

    /** A column as a quoted identifier: the only form in which a column reaches SQL. */
    static String column(CollectionColumn column) {
        return IdentifierValidator.quote(column.name());
    }

    /** {@code "col" ASC}, {@code "col" DESC}. */
    static String orderBy(List<SortKey> order) {
        StringBuilder sql = new StringBuilder();
        for (SortKey key : order) {
            sql.append(sql.length() > 0 ? ", " : "").append(column(key.column()))
                    .append(key.descending() ? " DESC" : " ASC");
        }
        return sql.toString();
    }

    public Sql append(String sql) {
        text.append(sql);
        return this;
    }

    /** A placeholder for a value: a {@link String}, {@link Integer} or {@link Long}. */
    public Sql bind(Object value) {
        if (!(value instanceof String || value instanceof Integer || value instanceof Long)) {
            throw new IllegalArgumentException("unsupported bind value: " + value);
        }
        text.append('?');
        values.add(value);
        return this;
    }

    /** {@code CAST(? AS type)}: a request value turned into the column's type by PostgreSQL's input rules. */
    public Sql bindAs(String value, CollectionColumn column) {
        return append("CAST(").bind(value).append(" AS ").append(column.castType()).append(")");
    }

    public Sql append(Sql other) {
        text.append(other.text);
        values.addAll(other.values);
        return this;
    }

    public boolean isEmpty() {
        return text.length() == 0;
    }

    public String text() {
        return text.toString();
    }

    public List<Object> values() {
        return Collections.unmodifiableList(values);
    }

    public void bindTo(PreparedStatement statement) throws SQLException {
        bindTo(statement, 1);
    }

    /** @param first the index of this text's first placeholder in the statement it is part of */
    public void bindTo(PreparedStatement statement, int first) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            int index = first + i;
            if (value instanceof String string) {
                statement.setString(index, string);
            } else if (value instanceof Integer integer) {
                statement.setInt(index, integer);
            } else {
                statement.setLong(index, (Long) value);
            }
        }
    }

    /** The text only: the values may be the caller's and are never logged. */
    @Override
    public String toString() {
        return text.toString();
    }
}
