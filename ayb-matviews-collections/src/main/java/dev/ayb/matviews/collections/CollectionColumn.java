package dev.ayb.matviews.collections;

import dev.ayb.matviews.IdentifierValidator;
import java.util.Objects;

/**
 * A column of a materialized view as the catalog describes it. Only columns whose names pass
 * {@link IdentifierValidator} exist here, so a column always reaches SQL as a validated, double-quoted
 * identifier.
 *
 * @param name     the column's name, exactly as in the catalog
 * @param castType the column's base type (below any domains) as {@code format_type(oid, -1)} prints it (e.g.
 *                 {@code integer}, {@code bpchar}, {@code "bit"}, {@code integer[]}): the target of the casts
 *                 that turn request values into the column's type. No type modifier, so a cast never truncates
 *                 or rounds a value ({@code varchar(5)} would cut {@code 'abcdefgh'} to {@code 'abcde'} and
 *                 match wrongly), and no domain, whose constraint would make an out-of-domain value an error
 *                 rather than a value that matches nothing.
 * @param kind     how values are read and written
 */
public record CollectionColumn(String name, String castType, ValueKind kind) {
    public CollectionColumn {
        IdentifierValidator.validate(name);
        Objects.requireNonNull(castType, "castType");
        Objects.requireNonNull(kind, "kind");
    }
}
