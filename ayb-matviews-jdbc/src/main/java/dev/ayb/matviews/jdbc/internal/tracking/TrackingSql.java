package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.jdbc.support.LibrarySchema;

/**
 * The SQL pieces that change tracking's statements share, so that "has this table its trigger" and "is this still
 * the definition the sources were found for" are each decided by one expression. They read the tracked relation as
 * {@code t} ({@code matview_tracked_relations}) and the registration as {@code r}.
 */
final class TrackingSql {
    /** The one name of the library's trigger on every tracked table. */
    static final String TRIGGER_NAME = "ayb_matviews_track_changes";
    /** Relation kinds that carry the trigger. */
    static final String TABLE_KINDS = "('table', 'partition')";

    private final LibrarySchema schema;

    TrackingSql(LibrarySchema schema) {
        this.schema = schema;
    }

    /**
     * Whether {@code relid} has the library's trigger, enabled, calling the library's function. A trigger turned off
     * ({@code ALTER TABLE ... DISABLE TRIGGER}) records nothing, so it counts as missing.
     */
    String hasTrigger(String relid) {
        // The schema name is a validated identifier, so the function's name is a safe literal.
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_trigger tg WHERE tg.tgrelid = " + relid
                + " AND tg.tgname = '" + TRIGGER_NAME + "' AND tg.tgenabled <> 'D'"
                + " AND tg.tgfoid = '" + schema.changeFunction() + "'::pg_catalog.regprocedure)";
    }

    /**
     * A digest of the versions of the definitions of the view and of every view it reads, for registration
     * {@code r}: when it differs from the one stored with the sources, a definition changed (or a view was
     * re-created) since, and the sources may be others.
     *
     * <p>A definition is the view's {@code _RETURN} rule in {@code pg_rewrite}; any redefinition writes a new version
     * of that row, with the writing transaction as its {@code xmin}, and a re-created view has a new rule altogether.
     * So the rule's oid and {@code xmin} identify the definition without reading it: the check runs on every
     * freshness read, and hashing the rule's text (tens of kilobytes for a view of ten tables) was most of its time.
     * A rewrite that keeps the text (the same {@code CREATE OR REPLACE VIEW}) counts as a change: the view is then
     * behind until its next refresh, never current by mistake.
     */
    String fingerprint() {
        return "(SELECT pg_catalog.md5(pg_catalog.string_agg(rw.oid::pg_catalog.text || ':'"
                + " || rw.xmin::pg_catalog.text, '|' ORDER BY t.relid))"
                + " FROM " + schema.trackedRelations() + " t"
                + " JOIN pg_catalog.pg_rewrite rw ON rw.ev_class = t.relid AND rw.rulename = '_RETURN'"
                + " WHERE t.registration_id = r.id AND t.kind IN ('self', 'view', 'matview'))";
    }
}
