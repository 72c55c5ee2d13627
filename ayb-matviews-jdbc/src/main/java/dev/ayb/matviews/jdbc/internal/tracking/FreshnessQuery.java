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
        this.columns = "r.tracking_reason,"
                + " r.change_snapshot IS NOT NULL AS has_snapshot,"
                + " r.tracking_fingerprint IS DISTINCT FROM " + sql.fingerprint() + " AS redefined,"
                + " (SELECT pg_catalog.string_agg(t.schema_name || '.' || t.relation_name, ', '"
                + " ORDER BY t.schema_name, t.relation_name) FROM " + tracked + " t"
                + " WHERE t.registration_id = r.id AND t.kind IN " + TrackingSql.TABLE_KINDS
                + " AND NOT " + sql.hasTrigger("t.relid") + ") AS missing_triggers,"
                + " (SELECT pg_catalog.string_agg(DISTINCT cn.nspname || '.' || cc.relname, ', ')"
                + untrackedChildren + ") AS untracked_children,"
                + " (SELECT min(x.changed_at) FROM " + tracked + " t"
                + " CROSS JOIN LATERAL (SELECT m.changed_at FROM " + schema.changeMarkers() + " m"
                + " WHERE m.relid = t.relid AND m.xid >= pg_catalog.pg_snapshot_xmin(r.change_snapshot)"
                + " AND NOT pg_catalog.pg_visible_in_snapshot(m.xid, r.change_snapshot)"
                + " ORDER BY m.xid LIMIT 1) x"
                + " WHERE t.registration_id = r.id AND t.kind IN ('table', 'partition', 'matview')) AS behind_since";
        String freshnessSql = "SELECT r.id, " + columns + " FROM " + schema.registrations()
                + " r WHERE r.change_tracking AND r.id";
        this.freshnessOfOneSql = freshnessSql + " = ?";
        this.freshnessOfManySql = freshnessSql + " = ANY (?)";
        this.sourcesSql = "SELECT t.schema_name, t.relation_name, t.kind = 'partition',"
                + " " + sql.hasTrigger("t.relid")
                + " FROM " + tracked + " t JOIN " + schema.registrations() + " r ON r.id = t.registration_id"
                + " WHERE r.id = ? AND t.kind IN " + TrackingSql.TABLE_KINDS
                + " UNION"
                + " SELECT u.nspname, u.relname, true, " + sql.hasTrigger("u.oid")
                + " FROM " + schema.registrations() + " r CROSS JOIN LATERAL (SELECT cc.oid, cc.relname, cn.nspname"
                + untrackedChildren + ") u"
                + " WHERE r.id = ?"
                + " ORDER BY 1, 2";
    }

    /** Tracked registrations of {@code ids} by id (a registration no longer tracked is left out). */
    /**
     * The check of one view is the common call and must stay well under a millisecond. Planning this query takes
     * longer than running it, and PostgreSQL never settles on a generic plan for {@code = ANY (?)}: it estimates
     * an array of unknown length as many rows, so each execution is planned again. With {@code = ?} the generic plan
     * costs what a custom one does and, once the driver has prepared the statement on the connection, PostgreSQL
     * reuses it.
     */
    Map<UUID, Freshness> of(Connection connection, List<UUID> ids) throws SQLException {
        Map<UUID, Freshness> found = new HashMap<>();
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
                    found.put(rows.getObject("id", UUID.class), freshness(rows));
                }
            }
        }
        return found;
    }

    /** The columns {@link #freshness(ResultSet)} reads, for a query over the registrations as {@code r}. */
    String columns() {
        return columns;
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

    List<SourceTable> sources(Connection connection, UUID id) throws SQLException {
        List<SourceTable> sources = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sourcesSql)) {
            statement.setObject(1, id);
            statement.setObject(2, id);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    sources.add(new SourceTable(rows.getString(1), rows.getString(2), rows.getBoolean(3),
                            rows.getBoolean(4)));
                }
            }
        }
        return sources;
    }
}
