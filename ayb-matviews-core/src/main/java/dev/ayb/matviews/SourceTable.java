package dev.ayb.matviews;

import java.util.Objects;

/**
 * A base table a tracked view reads, directly or through plain views, other materialized views, or as a
 * partition of a partitioned table it reads.
 *
 * @param partition        whether the table is a partition (or inheritance child) of another source
 * @param triggerInstalled whether the library's change trigger is on the table right now; a table without it
 *                         keeps the view {@link Freshness.State#BEHIND behind}
 */
public record SourceTable(String schemaName, String tableName, boolean partition, boolean triggerInstalled) {
    public SourceTable {
        Objects.requireNonNull(schemaName, "schemaName");
        Objects.requireNonNull(tableName, "tableName");
    }

    public QualifiedName qualifiedName() {
        return new QualifiedName(schemaName, tableName);
    }
}
