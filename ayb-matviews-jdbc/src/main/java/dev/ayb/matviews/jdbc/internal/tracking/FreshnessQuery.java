package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The freshness of many tracked views in one query, and the sources of one.
 *
 * <p>The change check reads markers by index range: only markers of the view's tables from its snapshot's
 * {@code xmin} on can be unseen (every transaction before it is visible in the snapshot), and for each table the
 * first unseen one in xid order ends the search. Its time is {@code behindSince}: the first change of the earliest
 * writing transaction the view has not seen.
 */
final class FreshnessQuery {
    private static final String NOT_REFRESHED = "not refreshed since change tracking was turned on or its sources"
            + " changed";
    private static final String REDEFINED = "the definition of the view, or of a view it reads, changed since its"
            + " sources were read; the next refresh reads them again";

    /** For one registration: {@code r.id = ?}, which PostgreSQL plans once per connection (see {@link #of}). */
    private final String freshnessOfOneSql;
    private final String freshnessOfManySql;
    /** The select-list items {@link #freshness(ResultSet)} reads, for registration {@code r}. */
    private final String columns;
    private final String sourcesSql;
    private final String captureJoin;

    FreshnessQuery(LibrarySchema schema, TrackingSql sql) {
        String tracked = schema.trackedRelations();
        // Partitions (and inheritance children) of tracked tables that are not tracked yet: attached since.
        String untrackedChildren = " FROM " + tracked + " t"
                + " JOIN pg_catalog.pg_inherits i ON i.inhparent = t.relid"
                + " JOIN pg_catalog.pg_class cc ON cc.oid = i.inhrelid"
                + " JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace"
                + " WHERE t.registration_id = r.id AND t.kind IN " + TrackingSql.TABLE_KINDS
                + " AND NOT EXISTS (SELECT 1 FROM " + tracked + " t2"
                + " WHERE t2.registration_id = r.id AND t2.relid = i.inhrelid)";
        this.columns = "r.tracking_reason, capture.wal_slot,"
                + " r.xmin::pg_catalog.text::pg_catalog.int8 AS row_xmin,"
                + " pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::pg_catalog.text::pg_catalog.int8"
                + " AS next_xid,"
                + " r.change_snapshot IS NOT NULL AS has_snapshot,"
                + " r.tracking_fingerprint IS DISTINCT FROM " + sql.fingerprint() + " AS redefined,"
                + uncaptured(tracked, "NOT", sql) + " AS missing_triggers,"
                + uncaptured(tracked, "", sql) + " AS unread_wal,"
                + " (SELECT pg_catalog.string_agg(DISTINCT cn.nspname || '.' || cc.relname, ', ')"
                + untrackedChildren + ") AS untracked_children,"
                + " (SELECT min(x.changed_at) FROM " + tracked + " t"
                + " CROSS JOIN LATERAL (SELECT m.changed_at FROM " + schema.changeMarkers() + " m"
                + " WHERE m.relid = t.relid AND m.xid >= pg_catalog.pg_snapshot_xmin(r.change_snapshot)"
                + " AND NOT pg_catalog.pg_visible_in_snapshot(m.xid, r.change_snapshot)"
                + " ORDER BY m.xid LIMIT 1) x"
                + " WHERE t.registration_id = r.id AND t.kind IN ('table', 'partition', 'matview')) AS behind_since";
        this.captureJoin = sql.captureJoin();
        String freshnessSql = "SELECT r.id, " + columns + " FROM " + schema.registrations() + " r" + captureJoin
                + " WHERE r.change_tracking AND r.id";
        this.freshnessOfOneSql = freshnessSql + " = ?";
        this.freshnessOfManySql = freshnessSql + " = ANY (?)";
        this.sourcesSql = "SELECT t.schema_name, t.relation_name, t.kind = 'partition',"
                + " " + sql.hasTrigger("t.relid") + ", " + capture(sql, "t.relid")
                + " FROM " + tracked + " t JOIN " + schema.registrations() + " r ON r.id = t.registration_id"
                + " WHERE r.id = ? AND t.kind IN " + TrackingSql.TABLE_KINDS
                + " UNION"
                + " SELECT u.nspname, u.relname, true, " + sql.hasTrigger("u.oid") + ", " + capture(sql, "u.oid")
                + " FROM " + schema.registrations() + " r CROSS JOIN LATERAL (SELECT cc.oid, cc.relname, cn.nspname"
                + untrackedChildren + ") u"
                + " WHERE r.id = ?"
                + " ORDER BY 1, 2";
    }

    /**
     * The check of one view is the common call and must stay well under a millisecond. Planning this query takes
     * longer than running it, and PostgreSQL never settles on a generic plan for {@code = ANY (?)}: it estimates
     * an array of unknown length as many rows, so each execution is planned again. With {@code = ?} the generic plan
     * costs what a custom one does and, once the driver has prepared the statement on the connection, PostgreSQL
     * reuses it.
     */
    ExactRead.Pass<Map<UUID, Freshness>> of(Connection connection, List<UUID> ids) throws SQLException {
        Map<UUID, Freshness> found = new HashMap<>();
        Map<UUID, Long> rowXmins = new HashMap<>();
        boolean walSlot = false;
        long nextXid = 0;
        boolean one = ids.size() == 1;
        try (PreparedStatement statement = connection.prepareStatement(one ? freshnessOfOneSql
                : freshnessOfManySql)) {
            if (one) {
                statement.setObject(1, ids.get(0));
            } else {
                statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject("id", UUID.class);
                    found.put(id, freshness(rows));
                    rowXmins.put(id, rows.getLong("row_xmin"));
                    walSlot = rows.getBoolean("wal_slot");
                    nextXid = rows.getLong("next_xid");
                }
            }
        }
        return new ExactRead.Pass<>(found, walSlot, rowXmins, nextXid);
    }

    /**
     * The tables of registration {@code r} whose writes are not captured, as one text: those not in the publication
     * ({@code published} "NOT": a trigger is what they lack), or those in it while the slot is missing or lost.
     */
    private static String uncaptured(String tracked, String published, TrackingSql sql) {
        return "(SELECT pg_catalog.string_agg(t.schema_name || '.' || t.relation_name, ', '"
                + " ORDER BY t.schema_name, t.relation_name) FROM " + tracked + " t"
                + " WHERE t.registration_id = r.id AND t.kind IN " + TrackingSql.TABLE_KINDS
                + " AND NOT " + sql.captured("t.relid", "capture.wal_slot") + " AND " + published + " "
                + sql.published("t.relid") + ")";
    }

    /**
     * The columns {@link #freshness(ResultSet)} reads, for a query over the registrations as {@code r} joined with
     * {@link #captureJoin()}; with them {@code wal_slot}, {@code row_xmin} and {@code next_xid}, which
     * {@link ExactRead.Pass} takes.
     */
    String columns() {
        return columns;
    }

    /** What {@link #columns()} needs joined to the registrations. */
    String captureJoin() {
        return captureJoin;
    }

    /** In order of what must be fixed first: what the library cannot track, then what it does not track yet. */
    static Freshness freshness(ResultSet row) throws SQLException {
        String reason = row.getString("tracking_reason");
        if (reason != null) {
            return Freshness.alwaysBehind(reason);
        }
        if (row.getBoolean("redefined")) {
            return Freshness.alwaysBehind(REDEFINED);
        }
        String unread = row.getString("unread_wal");
        if (unread != null) {
            return Freshness.alwaysBehind("changes of " + unread + " are read from the WAL, and the library's"
                    + " replication slot is missing or lost; the next refresh creates it again");
        }
        String missing = row.getString("missing_triggers");
        String children = row.getString("untracked_children");
        if (missing != null || children != null) {
            String tables = missing == null ? children : children == null ? missing : missing + ", " + children;
            return Freshness.alwaysBehind("trigger missing on " + tables);
        }
        if (!row.getBoolean("has_snapshot")) {
            return Freshness.alwaysBehind(NOT_REFRESHED);
        }
        OffsetDateTime since = row.getObject("behind_since", OffsetDateTime.class);
        return since == null ? Freshness.current() : Freshness.changedSince(since.toInstant());
    }

    /** How the writes of {@code relid} are recorded, as {@link SourceTable#capture()} names it. */
    private static String capture(TrackingSql sql, String relid) {
        return "CASE WHEN " + sql.hasTrigger(relid) + " THEN '" + SourceTable.CAPTURE_TRIGGER + "'"
                + " WHEN " + sql.captured(relid) + " THEN '" + SourceTable.CAPTURE_WAL + "'"
                + " ELSE '" + SourceTable.CAPTURE_NONE + "' END";
    }

    /**
     * A tracked view's freshness when it may not be reported current ({@code why}: the WAL's changes could not be
     * read, or it was refreshed while being read): what was current is behind for that reason; what was behind
     * stays as it was.
     */
    static Freshness notCurrent(Freshness freshness, String why) {
        return freshness.state() == Freshness.State.CURRENT ? Freshness.alwaysBehind(why) : freshness;
    }

    List<SourceTable> sources(Connection connection, UUID id) throws SQLException {
        List<SourceTable> sources = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sourcesSql)) {
            statement.setObject(1, id);
            statement.setObject(2, id);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sources.add(new SourceTable(rows.getString(1), rows.getString(2), rows.getBoolean(3),
                            rows.getBoolean(4), rows.getString(5)));
                }
            }
        }
        return sources;
    }
}
