-- ayb-matviews schema, version 3: how old a view's data is, and whether its sources are tracked.

-- The start of the last successful refresh: the moment the view's data is "as of". A failed refresh
-- leaves it alone, unlike last_refresh_at.
ALTER TABLE ${ayb_schema}.matview_registrations ADD COLUMN IF NOT EXISTS last_success_at timestamptz;

-- Opt-in per view: writes to the view's base tables are tracked so that its freshness is exact.
ALTER TABLE ${ayb_schema}.matview_registrations
    ADD COLUMN IF NOT EXISTS change_tracking boolean NOT NULL DEFAULT false;

-- Views refreshed before this version: the last successful run still in the history, else (history
-- pruned) the last refresh when it succeeded, less its duration.
UPDATE ${ayb_schema}.matview_registrations r
SET last_success_at = coalesce(
        (SELECT max(started_at) FROM ${ayb_schema}.matview_refresh_runs h
         WHERE h.registration_id = r.id AND h.status = 'success'),
        CASE WHEN r.last_refresh_status = 'success'
             THEN r.last_refresh_at - r.last_refresh_duration_ms * interval '1 millisecond' END)
WHERE r.last_success_at IS NULL;
