package dev.ayb.matviews.jdbc.internal.tracking;

/**
 * A relation a tracked view reads, as stored in {@code matview_tracked_relations}.
 *
 * @param kind {@code self} (the view), {@code view}, {@code matview}, {@code table} or {@code partition}
 */
record TrackedRelation(long relid, String schemaName, String relationName, String kind) {
    boolean carriesTrigger() {
        return kind.equals("table") || kind.equals("partition");
    }

    String displayName() {
        return schemaName + "." + relationName;
    }
}
