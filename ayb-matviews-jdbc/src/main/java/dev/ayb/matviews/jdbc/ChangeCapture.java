package dev.ayb.matviews.jdbc;

/**
 * How the library learns which transactions wrote the tables a tracked view reads. Both give the same exact answer
 * (behind from the commit of the first write the view has not seen, never current by mistake); they differ in who
 * pays and in what the server must allow. The choice applies to tables this instance starts tracking; what is
 * already captured stays as it is, and every instance reads both kinds.
 */
public enum ChangeCapture {
    /**
     * A statement-level trigger on each table records the writing transaction. Works on any server and role that may
     * create triggers; every statement that writes a tracked table pays for the trigger (benchmark 6).
     */
    TRIGGERS,
    /**
     * The writing transactions are read from the write-ahead log through logical decoding: a publication of the
     * tracked tables and one logical replication slot, read whenever freshness is asked. Writers pay nothing per
     * statement. Needs {@code wal_level = logical}, a free replication slot, and a role with the {@code REPLICATION}
     * attribute that owns the tables. A table without a replica identity (no primary key, no
     * {@code REPLICA IDENTITY}) keeps a trigger instead: PostgreSQL refuses updates and deletes on a published
     * table without one.
     */
    WAL
}
