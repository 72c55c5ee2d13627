package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.collections.RawJson;
import dev.ayb.matviews.collections.ValueKind;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Reads one column of the current row as a value both writers understand: null, {@link Long},
 * {@link BigDecimal}, {@link Float}, {@link Double}, {@link Boolean}, {@link String} or {@link RawJson}.
 * Values JSON has no number for (NaN, ±Infinity, PostgreSQL's infinite timestamps) become strings.
 */
public final class ValueReader {
    private ValueReader() {
    }

    public static Object read(ResultSet row, int index, ValueKind kind) throws SQLException {
        return switch (kind) {
            case INTEGER -> {
                long value = row.getLong(index);
                yield row.wasNull() ? null : (Object) value;
            }
            case NUMERIC -> numeric(row.getString(index));
            case FLOAT4 -> {
                float value = row.getFloat(index);
                yield row.wasNull() ? null : Float.isFinite(value) ? (Object) value : Float.toString(value);
            }
            case FLOAT8 -> {
                double value = row.getDouble(index);
                yield row.wasNull() ? null : Double.isFinite(value) ? (Object) value : Double.toString(value);
            }
            case BOOLEAN -> {
                boolean value = row.getBoolean(index);
                yield row.wasNull() ? null : (Object) value;
            }
            case TIMESTAMPTZ -> timestamptz(row.getObject(index, OffsetDateTime.class));
            case TIMESTAMP -> timestamp(row.getObject(index, LocalDateTime.class));
            case DATE -> date(row.getObject(index, LocalDate.class));
            case JSON, ARRAY -> {
                String text = row.getString(index);
                yield text == null ? null : new RawJson(text);
            }
            case CHARACTER, TEXT -> row.getString(index);
        };
    }

    /** Read as text, so not one digit passes through a double; NaN and infinities stay strings. */
    private static Object numeric(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    /** The driver maps PostgreSQL's {@code infinity} to the MAX and MIN values. */
    private static Object timestamptz(OffsetDateTime value) {
        if (value == null) {
            return null;
        }
        if (value.equals(OffsetDateTime.MAX) || value.equals(OffsetDateTime.MIN)) {
            return value.equals(OffsetDateTime.MAX) ? "infinity" : "-infinity";
        }
        return value.toInstant().toString();
    }

    private static Object timestamp(LocalDateTime value) {
        if (value == null) {
            return null;
        }
        if (value.equals(LocalDateTime.MAX) || value.equals(LocalDateTime.MIN)) {
            return value.equals(LocalDateTime.MAX) ? "infinity" : "-infinity";
        }
        return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(value);
    }

    private static Object date(LocalDate value) {
        if (value == null) {
            return null;
        }
        if (value.equals(LocalDate.MAX) || value.equals(LocalDate.MIN)) {
            return value.equals(LocalDate.MAX) ? "infinity" : "-infinity";
        }
        return value.toString();
    }
}
