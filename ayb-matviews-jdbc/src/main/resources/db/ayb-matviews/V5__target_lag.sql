-- ayb-matviews schema, version 5: target lag. A view with a target is refreshed by the job runner so that its data
-- is never more than the target behind a committed source change.

-- The target in milliseconds; NULL means none.
ALTER TABLE ${ayb_schema}.matview_registrations ADD COLUMN IF NOT EXISTS target_lag_ms bigint;
ALTER TABLE ${ayb_schema}.matview_registrations DROP CONSTRAINT IF EXISTS matview_registrations_target_lag_ms_check;
ALTER TABLE ${ayb_schema}.matview_registrations ADD CONSTRAINT matview_registrations_target_lag_ms_check
    CHECK (target_lag_ms > 0);
-- When the planner (any instance's job runner) last planned the view's next refresh: kept in the table so that every
-- instance, and the admin API of one that runs no jobs, shows the same plan.
ALTER TABLE ${ayb_schema}.matview_registrations ADD COLUMN IF NOT EXISTS next_refresh_at timestamptz;

-- At most one queued or running job per key, whatever number of instances enqueue it. Target-lag refreshes take
-- one of a few keys (one per allowed concurrent refresh), so the cap on them holds across the deployment by the
-- queue's own uniqueness; jobs without a key are not concerned.
ALTER TABLE ${ayb_schema}.jobs ADD COLUMN IF NOT EXISTS dedupe_key text;
CREATE UNIQUE INDEX IF NOT EXISTS jobs_dedupe_key
    ON ${ayb_schema}.jobs (dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN ('queued', 'running');
