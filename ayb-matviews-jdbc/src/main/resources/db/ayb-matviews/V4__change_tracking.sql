-- ayb-matviews schema, version 4: exact change tracking of the base tables a view reads, and refreshes
-- skipped because nothing changed.

-- A refresh asked "only if changed" that found the view current leaves a history row saying so.
ALTER TABLE ${ayb_schema}.matview_refresh_runs DROP CONSTRAINT IF EXISTS matview_refresh_runs_status_check;
ALTER TABLE ${ayb_schema}.matview_refresh_runs ADD CONSTRAINT matview_refresh_runs_status_check
    CHECK (status IN ('success', 'error', 'skipped'));

-- What the last successful refresh of a tracked view saw: pg_current_snapshot() just before its REFRESH.
ALTER TABLE ${ayb_schema}.matview_registrations ADD COLUMN IF NOT EXISTS change_snapshot pg_snapshot;
-- The transaction that last (re)started tracking: a snapshot that does not see it predates the triggers, so a
-- refresh that took it must not record it.
ALTER TABLE ${ayb_schema}.matview_registrations ADD COLUMN IF NOT EXISTS tracking_xid xid8;
-- Why the view cannot be tracked (a foreign table, a volatile function...): it is then always behind.
ALTER TABLE ${ayb_schema}.matview_registrations ADD COLUMN IF NOT EXISTS tracking_reason text;
-- The definitions of the view and of the views it reads when its sources were found; a change means the
-- sources may have changed too.
ALTER TABLE ${ayb_schema}.matview_registrations ADD COLUMN IF NOT EXISTS tracking_fingerprint text;

-- The relations a tracked view reads, found through the catalog: the view itself ('self'), the plain and
-- materialized views in between, and the base tables with their partitions, which carry the trigger.
CREATE TABLE IF NOT EXISTS ${ayb_schema}.matview_tracked_relations (
    registration_id uuid NOT NULL REFERENCES ${ayb_schema}.matview_registrations (id) ON DELETE CASCADE,
    relid           oid  NOT NULL,
    schema_name     text NOT NULL,
    relation_name   text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('self', 'view', 'matview', 'table', 'partition')),
    PRIMARY KEY (registration_id, relid)
);

CREATE INDEX IF NOT EXISTS matview_tracked_relations_relid_idx
    ON ${ayb_schema}.matview_tracked_relations (relid);

-- One row per (table, writing transaction), written by the trigger in that transaction: it commits with the
-- write or not at all. The freshness check reads it by index range from a snapshot's xmin. The index is not
-- unique: the trigger records a marker once per transaction without a uniqueness check (see below), and a second
-- marker of the same transaction, should one ever be written, changes no answer.
CREATE TABLE IF NOT EXISTS ${ayb_schema}.matview_change_markers (
    relid      oid         NOT NULL,
    xid        xid8        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX IF NOT EXISTS matview_change_markers_relid_xid_idx
    ON ${ayb_schema}.matview_change_markers (relid, xid);

-- The trigger function. It runs after every statement that writes a tracked table, so its cost is the writers'
-- cost (benchmark 6 measures it); only the first write of a transaction to a table records a marker:
-- * A transaction-local setting, ayb_matviews.marked_<relid>, holds the xid that has its marker. A later statement
--   of the same transaction finds it and returns at once (a batch of 1,000 single-row statements writes one
--   marker, not 1,000). set_config(..., true) is undone with the transaction, and with a savepoint whose rollback
--   also undoes the marker, so the setting never outlives the marker it stands for; the value is the xid, so no
--   other transaction can match it by accident. Should the setting be lost within a transaction (RESET ALL), the
--   next write records a second marker of the same transaction, which is harmless: hence a plain INSERT, no
--   uniqueness check (ON CONFLICT cost the first write of each transaction as much as the setting does).
-- * SECURITY DEFINER, so that any role that may write a tracked table records its marker without any privilege on
--   the library's tables. No SET search_path clause: a function SET clause switches the setting on every call,
--   twice, on every statement. Instead every name in the body is qualified (pg_catalog's functions, operators and
--   types, the library's table), so the caller's search_path cannot change what it runs.
-- * The setting is written by assignment rather than PERFORM, which would run a query for it.
CREATE OR REPLACE FUNCTION ${ayb_schema}.record_matview_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    marked pg_catalog.text := 'ayb_matviews.marked_' OPERATOR(pg_catalog.||) TG_RELID::pg_catalog.text;
    writer_xid pg_catalog.text := pg_catalog.pg_current_xact_id()::pg_catalog.text;
BEGIN
    IF pg_catalog.current_setting(marked, true) OPERATOR(pg_catalog.=) writer_xid THEN
        RETURN NULL;
    END IF;
    INSERT INTO ${ayb_schema}.matview_change_markers (relid, xid)
    VALUES (TG_RELID, pg_catalog.pg_current_xact_id());
    writer_xid := pg_catalog.set_config(marked, writer_xid, true);  -- returns the value it sets
    RETURN NULL;
END
$$;
-- PUBLIC keeps EXECUTE (PostgreSQL's default): a role that installs tracking needs it to create the triggers,
-- and a trigger function cannot be called other than by a trigger.
