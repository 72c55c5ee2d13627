package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.jdbc.support.LibrarySchema;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Keeps change tracking continuous across a swap refresh, which replaces the view by a new object with a new id.
 * Tracking stores the view itself by object id (its {@code self} relation, and a {@code matview} relation of the views
 * reading it) and fingerprints its definition by its rewrite rule: both name the old object once the swap commits, so
 * the view would look redefined and restart its tracking. The swap copies the definition exactly, so inside its switch
 * transaction the stored ids move to the new object and a fingerprint that still matched moves with them. The
 * triggers are on the sources, which a swap does not touch, and markers are about sources too.
 */
public final class SwapRelink {
    private final LibrarySchema schema;
    private final TrackingSql sql;

    public SwapRelink(LibrarySchema schema) {
        this.schema = schema;
        this.sql = new TrackingSql(schema);
    }

    /**
     * Before the old object is dropped: the registrations tracking it whose stored fingerprint is still its current
     * one. A fingerprint that already differed (a view redefined since its sources were found) is left to differ.
     */
    public List<UUID> intactBefore(Connection connection, long oldOid) throws SQLException {
        List<UUID> intact = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT r.id FROM " + schema.registrations()
                + " r WHERE r.change_tracking AND EXISTS (SELECT 1 FROM " + schema.trackedRelations() + " t"
                + " WHERE t.registration_id = r.id AND t.relid = ?::oid)"
                + " AND r.tracking_fingerprint IS NOT DISTINCT FROM " + sql.fingerprint())) {
            statement.setLong(1, oldOid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    intact.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return intact;
    }

    /** After the new object took the name: the stored ids follow it, and the intact fingerprints are recomputed. */
    public void after(Connection connection, long oldOid, long newOid, List<UUID> intact) throws SQLException {
        for (String table : List.of(schema.trackedRelations(), schema.changeMarkers())) {
            try (PreparedStatement statement = connection.prepareStatement("UPDATE " + table
                    + " SET relid = ?::oid WHERE relid = ?::oid")) {
                statement.setLong(1, newOid);
                statement.setLong(2, oldOid);
                statement.executeUpdate();
            }
        }
        if (intact.isEmpty()) {
            return;
        }
        Array ids = connection.createArrayOf("uuid", intact.toArray());
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + schema.registrations() + " r"
                + " SET tracking_fingerprint = " + sql.fingerprint() + " WHERE r.id = ANY (?)")) {
            statement.setArray(1, ids);
            statement.executeUpdate();
        }
    }
}
