package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.jdbc.support.LibrarySchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
    private final String publication;

    TrackingSql(LibrarySchema schema) {
        this.schema = schema;
        this.publication = publicationName(schema);
    }

    /**
     * The publication of the tables whose changes are read from the WAL
     * ({@link dev.ayb.matviews.jdbc.ChangeCapture#WAL}): {@code ayb_matviews_changes} for the default schema, else
     * suffixed with a digest of the library's schema, so that two library schemas in one database keep theirs apart.
     * Always a valid lower-case identifier.
     */
    static String publicationName(LibrarySchema schema) {
        return "ayb_matviews_changes" + suffix(schema);
    }

    /** The publication's name, as the catalog stores it. */
    String publication() {
        return publication;
    }

    /**
     * The replication slot's name, as an SQL expression: slot names are shared by every database of the server, so
     * it carries the database's oid (and the schema's digest, as the publication does).
     */
    String slotName() {
        return "('ayb_matviews_' OPERATOR(pg_catalog.||) (SELECT d.oid FROM pg_catalog.pg_database d"
                + " WHERE d.datname = pg_catalog.current_database())::pg_catalog.text"
                + " OPERATOR(pg_catalog.||) '" + suffix(schema) + "')";
    }

    private static String suffix(LibrarySchema schema) {
        if (schema.name().equals("ayb")) {
            return "";
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(schema.name().getBytes(StandardCharsets.UTF_8));
            return "_" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** Whether the library's publication exists. */
    String publicationExists() {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_publication p WHERE p.pubname = '" + publication + "')";
    }

    /** Whether the library's replication slot exists in this database and can still be read (not lost). */
    String slotReadable() {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = " + slotName()
                + " AND s.database = pg_catalog.current_database() AND s.plugin = 'pgoutput'"
                + " AND s.wal_status IS DISTINCT FROM 'lost')";
    }

    /** Whether {@code relid} is in the library's publication (its changes are read from the WAL while the slot is). */
    String published(String relid) {
        return "EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel pr"
                + " JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid"
                + " WHERE pr.prrelid = " + relid + " AND p.pubname = '" + publication + "'"
                + " AND p.pubinsert AND p.pubupdate AND p.pubdelete AND p.pubtruncate)";
    }

    /**
     * Whether every committed write to {@code relid} is recorded: by its trigger, or read from the WAL (the table is
     * published and the slot readable). The one rule for "is this table's capture in place".
     */
    String captured(String relid) {
        return captured(relid, slotReadable());
    }

    /** {@link #captured(String)}, with whether the slot is readable given (a column read once per statement). */
    String captured(String relid, String slotReadable) {
        return "(" + hasTrigger(relid) + " OR (" + published(relid) + " AND " + slotReadable + "))";
    }

    /**
     * Joined to a statement over registrations: whether the slot is readable, as {@code capture.wal_slot}, decided
     * once for the whole statement, so that every row judges the tables by the same answer, and the caller knows
     * whether the statement needed the slot caught up first (see {@link ExactRead}).
     */
    String captureJoin() {
        return " CROSS JOIN (SELECT " + slotReadable() + " AS wal_slot) capture";
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
