package dev.ayb.matviews;

import java.util.Objects;

/**
 * A base table a tracked view reads, directly or through plain views, other materialized views, or as a
 * partition of a partitioned table it reads.
 *
 * @param partition        whether the table is a partition (or inheritance child) of another source
 * @param triggerInstalled whether the library's change trigger is on the table right now
 * @param capture          how the table's writes are recorded right now: {@code "trigger"}, {@code "wal"} (read from
 *                         the write-ahead log), or {@code "none"}, which keeps the view
 *                         {@link Freshness.State#BEHIND behind}
 */
public record SourceTable(String schemaName, String tableName, boolean partition, boolean triggerInstalled,
                          String capture) {
    public static final String CAPTURE_TRIGGER = "trigger";
    public static final String CAPTURE_WAL = "wal";
    public static final String CAPTURE_NONE = "none";

    public SourceTable {
        Objects.requireNonNull(schemaName, "schemaName");
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(capture, "capture");
    }

    /** A table whose writes only a trigger records (as stores without WAL capture know them). */
    public SourceTable(String schemaName, String tableName, boolean partition, boolean triggerInstalled) {
        this(schemaName, tableName, partition, triggerInstalled, triggerInstalled ? CAPTURE_TRIGGER : CAPTURE_NONE);
    }

    public QualifiedName qualifiedName() {
        return new QualifiedName(schemaName, tableName);
    }
}
