package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.SourceTable;
import dev.ayb.matviews.jdbc.ChangeCapture;
import dev.ayb.matviews.jdbc.internal.Rows;
import dev.ayb.matviews.jdbc.support.Connections;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.PgErrors;
import dev.ayb.matviews.spi.ChangeTracker;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Exact change tracking on PostgreSQL. Each tracked table carries a statement-level trigger that records one marker
 * per (table, writing transaction) with {@code pg_current_xact_id()}; the marker commits with the write, or not at
 * all. A refresh keeps {@code pg_current_snapshot()} taken just before its REFRESH; the view is behind exactly when
 * one of its tables has a committed marker whose transaction that snapshot does not see.
 *
 * <p>With {@link ChangeCapture#WAL} the tables this instance starts tracking are read from the WAL instead
 * ({@link WalCapture}), which writes the same markers before each freshness read. Every instance reads both kinds,
 * whatever its own setting.
 */
public final class PgChangeTracker implements ChangeTracker {
    private final DataSource dataSource;
    private final LibrarySchema schema;
    private final TrackingSql sql;
    private final SourceDiscovery discovery = new SourceDiscovery();
    private final TriggerDdl triggers;
    private final WalCapture wal;
    private final FreshnessQuery freshness;
    private final ExactRead exactRead;
    private final ChangeCapture capture;

    public PgChangeTracker(DataSource dataSource, LibrarySchema schema, ChangeCapture capture, int lockNamespace) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.sql = new TrackingSql(schema);
        this.triggers = new TriggerDdl(schema, sql);
        this.wal = new WalCapture(schema, sql, lockNamespace);
        this.freshness = new FreshnessQuery(schema, sql);
        this.exactRead = new ExactRead(wal);
        this.capture = capture;
    }

    @Override
    public Registration enable(Registration registration) {
        prepareCapture();
        try {
            return Connections.inTransaction(dataSource, connection -> track(connection, registration, true));
        } catch (SQLException e) {
            throw PgErrors.database("turning on change tracking of " + registration.qualifiedName(), e);
        }
    }

    @Override
    public void sync(Registration registration) {
        prepareCapture();
        try {
            Connections.inTransaction(dataSource, connection -> track(connection, registration, false));
            Connections.withConnection(dataSource, connection -> prune(connection, registration.id()));
        } catch (SQLException e) {
            throw PgErrors.database("re-syncing change tracking of " + registration.qualifiedName(), e);
        }
    }

    /**
     * Finds the sources, installs missing triggers, stores the sources, and (re)starts tracking from this transaction
     * when tracking was off or the sources changed: a snapshot taken before it cannot be trusted, since changes
     * before the triggers were not recorded. With {@code turnOn} false (a re-sync) a view whose tracking was turned
     * off meanwhile is left alone.
     */
    private Registration track(Connection connection, Registration registration, boolean turnOn) throws SQLException {
        boolean tracked = lockRegistration(connection, registration);
        if (!turnOn && !tracked) {
            return registration;
        }
        SourceDiscovery.Discovered found = discovery.discover(connection, registration.qualifiedName())
                .orElseThrow(() -> new MatviewException(ErrorCode.VIEW_NO_LONGER_EXISTS, registration.qualifiedName()));
        Set<Long> captured = triggers.captured(connection, found.tables());
        List<TrackedRelation> uncaptured = found.tables().stream().filter(t -> !captured.contains(t.relid())).toList();
        triggers.install(connection, capture == ChangeCapture.WAL ? wal.publish(connection, uncaptured) : uncaptured);
        restartReadersOf(connection, uncaptured);
        boolean sourcesChanged = replaceRelations(connection, registration.id(), found.relations());
        // The SET expressions read the row as it was: the stored fingerprint is the old one, the computed one reads
        // the relations just stored.
        String restart = "(NOT r.change_tracking OR ?::boolean OR r.tracking_fingerprint IS DISTINCT FROM "
                + sql.fingerprint() + ")";
        String update = "UPDATE " + schema.registrations() + " r SET change_tracking = true, tracking_reason = ?,"
                + " tracking_fingerprint = " + sql.fingerprint() + ","
                + " change_snapshot = CASE WHEN " + restart + " THEN NULL ELSE r.change_snapshot END,"
                + " tracking_xid = CASE WHEN " + restart + " THEN pg_catalog.pg_current_xact_id() ELSE r.tracking_xid END"
                + " WHERE r.id = ? RETURNING " + Rows.REGISTRATION_COLUMNS;
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            statement.setString(1, found.reason());
            statement.setBoolean(2, sourcesChanged);
            statement.setBoolean(3, sourcesChanged);
            statement.setObject(4, registration.id());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return Rows.registration(row);
            }
        }
    }

    /**
     * Tracking starts again, from this transaction, for every tracked view that reads a table whose capture was
     * just installed: its writes from before (while its trigger was missing, or its slot lost) were recorded
     * nowhere, so no refresh from before may count as current.
     */
    private void restartReadersOf(Connection connection, List<TrackedRelation> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + schema.registrations() + " r"
                + " SET change_snapshot = NULL, tracking_xid = pg_catalog.pg_current_xact_id()"
                + " WHERE r.change_tracking AND EXISTS (SELECT 1 FROM " + schema.trackedRelations() + " t"
                + " WHERE t.registration_id = r.id AND t.relid = ANY (?::oid[]))")) {
            statement.setArray(1, TriggerDdl.oids(connection, tables.stream().map(TrackedRelation::relid).toList()));
            statement.executeUpdate();
        }
    }

    /** With WAL capture, the publication and the slot exist before any table is published. */
    private void prepareCapture() {
        if (capture == ChangeCapture.WAL) {
            wal.prepare(dataSource);
        }
    }

    /** Locks the registration row against a concurrent enable, disable or re-sync; returns whether it is tracked. */
    private boolean lockRegistration(Connection connection, Registration registration) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT change_tracking FROM "
                + schema.registrations() + " WHERE id = ? FOR UPDATE")) {
            statement.setObject(1, registration.id());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    throw new MatviewException(ErrorCode.REGISTRATION_NOT_FOUND,
                            ErrorCode.REGISTRATION_NOT_FOUND.defaultMessage(), registration.qualifiedName(), null, null);
                }
                return row.getBoolean(1);
            }
        }
    }

    /** @return whether the stored relations differed from {@code relations} (they are replaced then) */
    private boolean replaceRelations(Connection connection, UUID id, List<TrackedRelation> relations)
            throws SQLException {
        Set<TrackedRelation> stored = new HashSet<>(relations(connection, id));
        if (stored.equals(new HashSet<>(relations))) {
            return false;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + schema.trackedRelations()
                + " WHERE registration_id = ?")) {
            delete.setObject(1, id);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema.trackedRelations()
                + " (registration_id, relid, schema_name, relation_name, kind) VALUES (?, ?::oid, ?, ?, ?)")) {
            for (TrackedRelation relation : relations) {
                insert.setObject(1, id);
                insert.setLong(2, relation.relid());
                insert.setString(3, relation.schemaName());
                insert.setString(4, relation.relationName());
                insert.setString(5, relation.kind());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return true;
    }

    private List<TrackedRelation> relations(Connection connection, UUID id) throws SQLException {
        List<TrackedRelation> relations = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT relid::int8, schema_name,"
                + " relation_name, kind FROM " + schema.trackedRelations() + " WHERE registration_id = ?")) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    relations.add(new TrackedRelation(rows.getLong(1), rows.getString(2), rows.getString(3),
                            rows.getString(4)));
                }
            }
        }
        return relations;
    }

    @Override
    public Registration disable(Registration registration) {
        Registration untracked;
        try {
            untracked = Connections.inTransaction(dataSource, connection -> untrack(connection, registration));
        } catch (SQLException e) {
            throw PgErrors.database("turning off change tracking of " + registration.qualifiedName(), e);
        }
        wal.retireIfUnused(dataSource);
        return untracked;
    }

    /**
     * Forgets the view's sources, and drops the triggers, publication entries and markers of the tables no other
     * tracked view reads.
     */
    private Registration untrack(Connection connection, Registration registration) throws SQLException {
        lockRegistration(connection, registration);
        List<Long> orphaned = new ArrayList<>();
        String forget = "WITH gone AS (DELETE FROM " + schema.trackedRelations() + " WHERE registration_id = ?"
                + " RETURNING relid, kind)"
                + " SELECT DISTINCT g.relid::int8 FROM gone g WHERE g.kind IN " + TrackingSql.TABLE_KINDS
                + " AND NOT EXISTS (SELECT 1 FROM " + schema.trackedRelations() + " o"
                + " WHERE o.relid = g.relid AND o.registration_id <> ?)";
        try (PreparedStatement statement = connection.prepareStatement(forget)) {
            statement.setObject(1, registration.id());
            statement.setObject(2, registration.id());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    orphaned.add(rows.getLong(1));
                }
            }
        }
        triggers.remove(connection, orphaned);
        wal.unpublish(connection, orphaned);
        if (!orphaned.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + schema.changeMarkers()
                    + " WHERE relid = ANY (?::oid[])")) {
                statement.setArray(1, TriggerDdl.oids(connection, orphaned));
                statement.executeUpdate();
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("UPDATE " + schema.registrations()
                + " SET change_tracking = false, change_snapshot = NULL, tracking_xid = NULL, tracking_reason = NULL,"
                + " tracking_fingerprint = NULL WHERE id = ? RETURNING " + Rows.REGISTRATION_COLUMNS)) {
            statement.setObject(1, registration.id());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return Rows.registration(row);
            }
        }
    }

    /**
     * Deletes the markers of the view's tables that every tracked view reading them has seen. A tracked view without
     * a snapshot yet keeps them all: its refresh may be running, with a snapshot taken but not recorded, and a
     * marker it did not see must still be there when it is.
     */
    private Void prune(Connection connection, UUID id) throws SQLException {
        String delete = "DELETE FROM " + schema.changeMarkers() + " m"
                + " WHERE m.relid IN (SELECT t.relid FROM " + schema.trackedRelations() + " t"
                + " WHERE t.registration_id = ?)"
                + " AND NOT EXISTS (SELECT 1 FROM " + schema.trackedRelations() + " t"
                + " JOIN " + schema.registrations() + " r ON r.id = t.registration_id"
                + " WHERE t.relid = m.relid AND (r.change_snapshot IS NULL"
                + " OR NOT pg_catalog.pg_visible_in_snapshot(m.xid, r.change_snapshot)))";
        try (PreparedStatement statement = connection.prepareStatement(delete)) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
        return null;
    }

    @Override
    public Map<UUID, Freshness> freshness(Collection<Registration> registrations) {
        Map<UUID, Freshness> all = new HashMap<>();
        List<UUID> tracked = new ArrayList<>();
        for (Registration registration : registrations) {
            all.put(registration.id(), Freshness.UNTRACKED);
            if (registration.changeTracking()) {
                tracked.add(registration.id());
            }
        }
        if (tracked.isEmpty()) {
            return all;
        }
        try {
            all.putAll(Connections.withConnection(dataSource, connection -> {
                ExactRead.Outcome<Map<UUID, Freshness>> read = exactRead.read(connection,
                        c -> freshness.of(c, tracked));
                Map<UUID, Freshness> found = new HashMap<>(read.value());
                read.notCurrent().forEach((id, why) -> found.computeIfPresent(id,
                        (key, f) -> FreshnessQuery.notCurrent(f, why)));
                return found;
            }));
        } catch (SQLException e) {
            throw PgErrors.database("reading the freshness of views", e);
        }
        return all;
    }

    @Override
    public List<SourceTable> sources(Registration registration) {
        try {
            return Connections.withConnection(dataSource, connection -> freshness.sources(connection,
                    registration.id()));
        } catch (SQLException e) {
            throw PgErrors.database("reading the sources of " + registration.qualifiedName(), e);
        }
    }
}
