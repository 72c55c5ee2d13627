package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.support.Connections;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.MessageText;
import dev.ayb.matviews.jdbc.support.PgErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change capture from the write-ahead log ({@link dev.ayb.matviews.jdbc.ChangeCapture#WAL}): the tables are in the
 * library's publication, one logical replication slot ({@code pgoutput}) keeps their changes, and {@link #catchUp}
 * turns the changes committed so far into the same markers the trigger writes, before any freshness is read. So the
 * freshness rule stays one rule, whichever way a table's writes are recorded.
 *
 * <p>What makes it exact:
 * <ul>
 *   <li><b>Nothing committed is left unread.</b> Decoding reads only WAL that is flushed to disk, and a writer with
 *   {@code synchronous_commit = off} is visible before its commit is flushed. {@link #catchUp} therefore first
 *   commits a transaction of its own with {@code synchronous_commit = on} (a logical message), which flushes the WAL
 *   up to its commit, and so past every commit that was visible before it; it then reads up to that commit.</li>
 *   <li><b>Nothing is consumed before it is kept.</b> The changes are peeked, their markers committed, and only then
 *   is the slot advanced to the end of that commit. A failure in between reads the same changes again (a marker
 *   twice changes no answer); a consuming read that failed afterwards would lose them.</li>
 *   <li><b>One reader at a time.</b> A slot serves one session at a time, and two readers advancing it past each
 *   other's reads would skip changes; every use of the slot holds a transaction-level advisory lock.</li>
 *   <li><b>Capture starts before tracking does.</b> Adding a table to the publication waits for the writes in
 *   progress on it (it takes the lock {@code CREATE TRIGGER} takes), in the transaction that (re)starts tracking, so
 *   a refresh that counts must see every write that was not captured.</li>
 * </ul>
 */
final class WalCapture {
    private static final Logger LOG = LoggerFactory.getLogger(WalCapture.class);
    /** Second key of the slot's advisory lock: 0 is the migrator's, views are keyed by their oids (16384 and up). */
    private static final int SLOT_LOCK_KEY = 1;
    private static final String MESSAGE_PREFIX = "ayb_matviews";
    /**
     * Decoding starts at the slot's restart point, which moves on only past a record of the running transactions
     * (PostgreSQL writes one every 15 seconds or so); every read decodes the WAL from there again. When the read
     * position is this far ahead of it, the reader writes one itself ({@code pg_log_standby_snapshot()},
     * PostgreSQL 16 and later, where the role may run it), so that its own advance moves the restart point up.
     */
    private static final long RESTART_LAG_BYTES = 64L << 10;
    // The first byte of each message of pgoutput's protocol, version 1.
    private static final int BEGIN = 'B';
    private static final int COMMIT = 'C';
    private static final int INSERT = 'I';
    private static final int UPDATE = 'U';
    private static final int DELETE = 'D';
    private static final int TRUNCATE = 'T';

    private final LibrarySchema schema;
    private final TrackingSql sql;
    private final String lockSlot;
    private final String drainSql;
    private final String advanceSql;

    WalCapture(LibrarySchema schema, TrackingSql sql, int lockNamespace) {
        this.schema = schema;
        this.sql = sql;
        this.lockSlot = "SELECT pg_catalog.pg_advisory_xact_lock(" + lockNamespace + ", " + SLOT_LOCK_KEY + ")";
        this.drainSql = drainSql();
        this.advanceSql = "SELECT pg_catalog.pg_replication_slot_advance(s.slot_name, ?::pg_catalog.pg_lsn)"
                + " FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = " + sql.slotName()
                + " AND s.confirmed_flush_lsn OPERATOR(pg_catalog.<) ?::pg_catalog.pg_lsn";
    }

    /**
     * The changes since the slot's position, as markers: one per (table, writing transaction), at the transaction's
     * commit time, with its 32-bit transaction id widened to the {@code xid8} the trigger records (the decoded
     * transactions are older than this one, within one epoch of it). The protocol's messages are read by their
     * first byte: {@code B}egin (commit time), {@code I}nsert, {@code U}pdate and {@code D}elete (a relation oid),
     * {@code T}runcate (a count and the oids), and the {@code C}ommit of this reader's own message, whose end is
     * where the slot is advanced to.
     */
    private String drainSql() {
        String changes = "SELECT c.lsn, c.xid::pg_catalog.text::pg_catalog.int8 AS x,"
                + " pg_catalog.get_byte(c.data, 0) AS kind, c.data"
                + " FROM pg_catalog.pg_logical_slot_peek_binary_changes(" + sql.slotName() + ", NULL, NULL,"
                + " 'proto_version', '1', 'publication_names', '" + sql.publication() + "', 'messages', 'true') c";
        String commitTime = "pg_catalog.to_timestamp(946684800 OPERATOR(pg_catalog.+) ("
                + "('x' OPERATOR(pg_catalog.||) pg_catalog.encode(pg_catalog.substr(data, 10, 8), 'hex'))"
                + "::pg_catalog.bit(64)::pg_catalog.int8 OPERATOR(pg_catalog./) 1000000.0::pg_catalog.float8))";
        String written = "SELECT x, " + int4At("1") + " AS relid FROM changes"
                + " WHERE kind IN (" + INSERT + ", " + UPDATE + ", " + DELETE + ")"
                + " UNION ALL SELECT x, " + int4At("6 OPERATOR(pg_catalog.+) (4 OPERATOR(pg_catalog.*) i)")
                + " FROM changes CROSS JOIN LATERAL pg_catalog.generate_series(0, " + int4At("1")
                + " OPERATOR(pg_catalog.-) 1) i WHERE kind = " + TRUNCATE;
        // OPERATOR(...) gives every operator the same precedence, left to right: each step is parenthesised.
        String widened = "((((n.cur OPERATOR(pg_catalog.>>) 32) OPERATOR(pg_catalog.-) (CASE WHEN w.x"
                + " OPERATOR(pg_catalog.>) (n.cur OPERATOR(pg_catalog.&) 4294967295) THEN 1 ELSE 0 END))"
                + " OPERATOR(pg_catalog.<<) 32) OPERATOR(pg_catalog.|) w.x)::pg_catalog.text::pg_catalog.xid8";
        return "WITH changes AS MATERIALIZED (" + changes + "),"
                + " began AS (SELECT x, " + commitTime + " AS at FROM changes WHERE kind = " + BEGIN + "),"
                + " written AS (" + written + "),"
                + " n AS (SELECT pg_catalog.pg_current_xact_id()::pg_catalog.text::pg_catalog.int8 AS cur),"
                + " marked AS (INSERT INTO " + schema.changeMarkers() + " (relid, xid, changed_at)"
                + " SELECT w.relid::pg_catalog.oid, " + widened + ", b.at"
                + " FROM (SELECT DISTINCT x, relid FROM written) w JOIN began b USING (x) CROSS JOIN n)"
                // A data-modifying CTE runs in full whether or not the statement reads it.
                + " SELECT (SELECT max(lsn) FROM changes WHERE kind = " + COMMIT + " AND x = ?)::pg_catalog.text";
    }

    /** The unsigned 32-bit big-endian integer at byte {@code offset} of {@code data}, as an int8. */
    private static String int4At(String offset) {
        StringBuilder value = new StringBuilder("(");
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                value.append(" OPERATOR(pg_catalog.|) ");
            }
            value.append("(pg_catalog.get_byte(data, ((").append(offset).append(") OPERATOR(pg_catalog.+) ").append(i)
                    .append(")::pg_catalog.int4)::pg_catalog.int8 OPERATOR(pg_catalog.<<) ").append(24 - 8 * i)
                    .append(")");
        }
        return value.append(")").toString();
    }

    /**
     * Makes sure the publication and a readable slot exist, each in its own transaction (a slot cannot be created by
     * a transaction that has written). A slot that was lost (its WAL removed under {@code max_slot_wal_keep_size}) is
     * dropped and created anew, and every view with a table in the publication starts tracking again: writes from
     * while the slot was gone were not kept, so no refresh from before may count as current.
     */
    void prepare(DataSource dataSource) {
        try {
            // Before every refresh of a tracked view: once both exist, this one statement is all it costs.
            if (Connections.withConnection(dataSource, connection -> isTrue(connection,
                    sql.publicationExists() + " AND " + sql.slotReadable()))) {
                return;
            }
            Connections.inTransaction(dataSource, connection -> {
                lockSlot(connection);
                requireLogicalWal(connection);
                createPublication(connection);
                return null;
            });
            try {
                Connections.inTransaction(dataSource, connection -> {
                    lockSlot(connection);
                    createSlot(connection);
                    return null;
                });
            } catch (SQLException | RuntimeException e) {
                retireIfUnused(dataSource); // the publication just created, if nothing uses it
                throw e;
            }
        } catch (SQLException e) {
            throw PgErrors.database("preparing change capture from the WAL", e);
        }
    }

    private void lockSlot(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(lockSlot);
        }
    }

    private static void requireLogicalWal(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_catalog.current_setting('wal_level')")) {
            row.next();
            String level = row.getString(1);
            if (!level.equals("logical")) {
                throw new MatviewException(ErrorCode.CHANGE_CAPTURE_UNAVAILABLE, "change capture from the WAL needs"
                        + " wal_level = logical on the server (it is " + MessageText.printable(level) + "); set it in"
                        + " postgresql.conf and restart the server, or capture changes with triggers");
            }
        }
    }

    private static boolean isTrue(Connection connection, String condition) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT " + condition)) {
            row.next();
            return row.getBoolean(1);
        }
    }

    private void createPublication(Connection connection) throws SQLException {
        if (isTrue(connection, sql.publicationExists())) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            // The name is the library's own lower-case identifier (TrackingSql.publicationName).
            statement.execute("CREATE PUBLICATION " + sql.publication()
                    + " WITH (publish = 'insert, update, delete, truncate')");
        } catch (SQLException e) {
            throw TriggerDdl.denied(e, "creating the publication " + sql.publication()
                    + " needs the CREATE privilege on the database (GRANT CREATE ON DATABASE ... TO ...)");
        }
    }

    private void createSlot(Connection connection) throws SQLException {
        String state = "SELECT s.wal_status FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = "
                + sql.slotName();
        boolean lost;
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(state)) {
            boolean exists = row.next();
            if (exists && !"lost".equals(row.getString(1))) {
                return;
            }
            lost = exists; // its WAL was removed: it cannot be read again, only replaced
        }
        try (Statement statement = connection.createStatement()) {
            if (lost) {
                statement.execute("SELECT pg_catalog.pg_drop_replication_slot(" + sql.slotName() + ")");
            }
            statement.execute("SELECT pg_catalog.pg_create_logical_replication_slot(" + sql.slotName()
                    + ", 'pgoutput')");
        } catch (SQLException e) {
            throw unavailable(TriggerDdl.denied(e, "creating the library's replication slot needs the REPLICATION"
                    + " attribute (ALTER ROLE ... REPLICATION)"));
        }
        try {
            restartPublishedViews(connection);
        } catch (SQLException | RuntimeException e) {
            dropSlotQuietly(connection, e);
            throw e;
        }
        LOG.info("Created the logical replication slot of change capture from the WAL{}", lost ? " (it was lost)" : "");
    }

    /** Tracking of the views that read a published table starts again from this (the slot's first) transaction. */
    private void restartPublishedViews(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE " + schema.registrations() + " r SET change_snapshot = NULL,"
                    + " tracking_xid = pg_catalog.pg_current_xact_id() WHERE r.change_tracking AND EXISTS (SELECT 1"
                    + " FROM " + schema.trackedRelations() + " t WHERE t.registration_id = r.id AND "
                    + sql.published("t.relid") + ")");
        }
    }

    private void dropSlotQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_catalog.pg_drop_replication_slot(" + sql.slotName() + ")");
            }
            connection.commit();
        } catch (SQLException | RuntimeException dropFailure) {
            failure.addSuppressed(dropFailure);
        }
    }

    /**
     * Adds to the publication each table of {@code tables} (whose changes are not captured yet) that can be read from
     * the WAL: a permanent plain table (or partition) with a replica identity. Runs in the transaction that starts
     * tracking; each table is first locked as {@code CREATE TRIGGER} locks it, which waits for the writes in progress.
     *
     * @return the tables that need a trigger instead (partitioned parents, unlogged tables, tables without a replica
     * identity)
     */
    List<TrackedRelation> publish(Connection connection, Collection<TrackedRelation> tables) throws SQLException {
        Set<Long> walReadable = new HashSet<>();
        Set<Long> published = new HashSet<>();
        if (tables.isEmpty()) {
            return List.of();
        }
        String query = "SELECT c.oid, " + sql.published("c.oid") + ","
                + " c.relkind = 'r' AND c.relpersistence = 'p' AND (c.relreplident = 'f'"
                + " OR (c.relreplident = 'd' AND EXISTS (SELECT 1 FROM pg_catalog.pg_index i"
                + " WHERE i.indrelid = c.oid AND i.indisprimary)) OR (c.relreplident = 'i' AND EXISTS (SELECT 1"
                + " FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)))"
                + " FROM pg_catalog.pg_class c WHERE c.oid = ANY (?::oid[])";
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setArray(1, TriggerDdl.oids(connection, tables.stream().map(TrackedRelation::relid).toList()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (rows.getBoolean(3)) {
                        walReadable.add(rows.getLong(1));
                    }
                    if (rows.getBoolean(2)) {
                        published.add(rows.getLong(1));
                    }
                }
            }
        }
        if (!walReadable.isEmpty()) {
            // Before any change to the publication: an unused publication is dropped under this lock
            // (retireIfUnused), so it is not dropped while tables are being added to it.
            lockSlot(connection);
        }
        List<TrackedRelation> needTriggers = new ArrayList<>();
        for (TrackedRelation table : tables) {
            if (!walReadable.contains(table.relid())) {
                needTriggers.add(table);
                continue;
            }
            QualifiedName name = new QualifiedName(table.schemaName(), table.relationName());
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE " + name.quoted() + " IN SHARE ROW EXCLUSIVE MODE");
                if (!published.contains(table.relid())) { // published while its slot was lost
                    statement.execute("ALTER PUBLICATION " + sql.publication() + " ADD TABLE ONLY " + name.quoted());
                }
            } catch (SQLException e) {
                throw TriggerDdl.denied(e, "reading the changes of " + name
                        + " from the WAL needs ownership of the table (PostgreSQL lets only the owner add it to a"
                        + " publication)");
            }
        }
        return needTriggers;
    }

    /** Removes the tables of these ids that are in the publication from it; the tables are otherwise untouched. */
    void unpublish(Connection connection, Collection<Long> relids) throws SQLException {
        for (QualifiedName name : TriggerDdl.namesWhere(connection, relids, sql.published("c.oid"))) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER PUBLICATION " + sql.publication() + " DROP TABLE ONLY " + name.quoted());
            } catch (SQLException e) {
                throw TriggerDdl.denied(e, "removing " + name + " from the publication " + sql.publication()
                        + " needs ownership of the table and of the publication");
            }
        }
    }

    /**
     * Drops the slot and the publication once no table is in the publication: a slot nobody reads would keep WAL on
     * the server's disk for ever. Nothing else depends on them.
     */
    void retireIfUnused(DataSource dataSource) {
        try {
            Connections.inTransaction(dataSource, connection -> {
                lockSlot(connection);
                String unused = "SELECT " + sql.publicationExists() + " AND NOT EXISTS (SELECT 1"
                        + " FROM pg_catalog.pg_publication_rel pr JOIN pg_catalog.pg_publication p"
                        + " ON p.oid = pr.prpubid WHERE p.pubname = '" + sql.publication() + "'),"
                        + " EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = "
                        + sql.slotName() + ")";
                try (Statement statement = connection.createStatement();
                     ResultSet row = statement.executeQuery(unused)) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        return null;
                    }
                    if (row.getBoolean(2)) {
                        try (Statement drop = connection.createStatement()) {
                            drop.execute("SELECT pg_catalog.pg_drop_replication_slot(" + sql.slotName() + ")");
                        }
                    }
                }
                try (Statement drop = connection.createStatement()) {
                    drop.execute("DROP PUBLICATION IF EXISTS " + sql.publication());
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not drop the unused publication and replication slot of change capture from the WAL;"
                    + " the next turning off of tracking tries again", e);
        }
    }

    /**
     * The outcome of {@link #catchUp}: the snapshot as of which the markers are complete (every write committed
     * before it has its marker, committed), or why the slot could not be read.
     */
    record CatchUp(@Nullable XidSnapshot asOf, @Nullable String failure) {
    }

    /**
     * Turns every change committed so far into markers, when the slot exists; runs before freshness is read (see
     * {@link ExactRead}). With no slot there is nothing to read: tables whose changes it would keep count as not
     * captured.
     */
    CatchUp catchUp(Connection connection) {
        try {
            Settled settled = settled(connection);
            if (settled.nothingToRead()) {
                return new CatchUp(settled.asOf(), null);
            }
            Flushed flushed = flushOwnCommit(connection, settled.logRunningTransactions());
            String advanceTo = Connections.inOwnTransaction(connection, c -> drain(c, flushed.xid()));
            if (advanceTo != null) {
                Connections.inOwnTransaction(connection, c -> advance(c, advanceTo));
            }
            return new CatchUp(flushed.asOf(), null);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not read the changes kept by the replication slot of change capture from the WAL;"
                    + " views whose tables it captures are reported behind", e);
            return new CatchUp(null, "the changes kept for it in the WAL could not be read: "
                    + MessageText.printable(e instanceof SQLException failure ? PgErrors.serverMessage(failure)
                    : String.valueOf(e.getMessage())));
        }
    }

    private record Settled(XidSnapshot asOf, boolean nothingToRead, boolean logRunningTransactions) {
    }

    /**
     * Whether there is nothing to read: no slot, or no WAL written since the slot's position (so no commit since),
     * with the statement's snapshot, taken before it looked. A quiet database costs this one statement.
     */
    private Settled settled(Connection connection) throws SQLException {
        String slot = " FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = " + sql.slotName();
        String logFunction = "pg_catalog.to_regprocedure('pg_catalog.pg_log_standby_snapshot()')";
        String query = "SELECT pg_catalog.pg_current_snapshot()::pg_catalog.text,"
                + " (SELECT s.confirmed_flush_lsn OPERATOR(pg_catalog.>=) pg_catalog.pg_current_wal_insert_lsn()"
                + slot + "),"
                + " COALESCE((SELECT pg_catalog.pg_wal_lsn_diff(s.confirmed_flush_lsn, s.restart_lsn)"
                + " OPERATOR(pg_catalog.>) " + RESTART_LAG_BYTES + slot + "), false)"
                + " AND CASE WHEN " + logFunction + " IS NULL THEN false"
                + " ELSE pg_catalog.has_function_privilege(" + logFunction + ", 'EXECUTE') END";
        Settled settled;
        try (PreparedStatement statement = connection.prepareStatement(query);
             ResultSet row = statement.executeQuery()) {
            row.next();
            boolean caughtUp = row.getBoolean(2);
            boolean noSlot = row.wasNull();
            settled = new Settled(XidSnapshot.parse(row.getString(1)), noSlot || caughtUp, row.getBoolean(3));
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return settled;
    }

    private record Flushed(long xid, XidSnapshot asOf) {
    }

    /**
     * Commits a logical message with a synchronous commit, which flushes the WAL up to it; returns its 32-bit xid
     * and its snapshot, which every commit it flushed past is in (they were visible before it committed).
     */
    private Flushed flushOwnCommit(Connection connection, boolean logRunningTransactions) throws SQLException {
        return Connections.inOwnTransaction(connection, c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute("SET LOCAL synchronous_commit TO on");
                if (logRunningTransactions) {
                    statement.execute("SELECT pg_catalog.pg_log_standby_snapshot()");
                }
                try (ResultSet row = statement.executeQuery("SELECT pg_catalog.pg_current_xact_id()::pg_catalog.text,"
                        + " pg_catalog.pg_current_snapshot()::pg_catalog.text,"
                        + " pg_catalog.pg_logical_emit_message(true, '" + MESSAGE_PREFIX + "', '')")) {
                    row.next();
                    return new Flushed(Long.parseLong(row.getString(1)) & 0xFFFF_FFFFL,
                            XidSnapshot.parse(row.getString(2)));
                }
            }
        });
    }

    /** @return where to advance the slot: the end of this reader's own commit, or null if a reader passed it */
    private @Nullable String drain(Connection connection, long ownXid) throws SQLException {
        lockSlot(connection);
        try (PreparedStatement statement = connection.prepareStatement(drainSql)) {
            statement.setLong(1, ownXid);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private Void advance(Connection connection, String lsn) throws SQLException {
        lockSlot(connection);
        try (PreparedStatement statement = connection.prepareStatement(advanceSql)) {
            statement.setString(1, lsn);
            statement.setString(2, lsn);
            statement.executeQuery().close();
        }
        return null;
    }

    /** A server that cannot decode (wal_level, no free slot) is the operator's to fix; the message says why. */
    private static SQLException unavailable(SQLException e) {
        if (PgErrors.OBJECT_NOT_IN_PREREQUISITE_STATE.equals(e.getSQLState())
                || PgErrors.CONFIGURATION_LIMIT_EXCEEDED.equals(e.getSQLState())) {
            throw new MatviewException(ErrorCode.CHANGE_CAPTURE_UNAVAILABLE, MessageText.printable(
                    "change capture from the WAL is not available: " + PgErrors.serverMessage(e)), null,
                    e.getSQLState(), e);
        }
        return e;
    }
}
