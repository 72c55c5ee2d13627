-- ayb-matviews schema, version 6: the swap refresh mode (build beside the live view, then switch).
-- The registration's mode is checked by the table; the history's refresh_mode never was.
ALTER TABLE ${ayb_schema}.matview_registrations DROP CONSTRAINT IF EXISTS matview_registrations_refresh_mode_check;
ALTER TABLE ${ayb_schema}.matview_registrations ADD CONSTRAINT matview_registrations_refresh_mode_check
    CHECK (refresh_mode IN ('standard', 'concurrent', 'swap'));
