-- ayb-matviews schema, version 2: cron schedules and the job queue they feed.

CREATE TABLE IF NOT EXISTS ${ayb_schema}.job_schedules (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    job_type     text        NOT NULL CHECK (length(job_type) BETWEEN 1 AND 100),
    payload      jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
    cron_expr    text        NOT NULL,
    timezone     text        NOT NULL DEFAULT 'UTC',
    enabled      boolean     NOT NULL DEFAULT true,
    max_attempts integer     NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
    next_run_at  timestamptz,
    last_run_at  timestamptz,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT job_schedules_name_key UNIQUE (name)
);

-- Every poll asks "what is due next"; only enabled schedules have a next run.
CREATE INDEX IF NOT EXISTS job_schedules_due_idx
    ON ${ayb_schema}.job_schedules (next_run_at) WHERE enabled;

CREATE TABLE IF NOT EXISTS ${ayb_schema}.jobs (
    id            uuid        PRIMARY KEY,
    type          text        NOT NULL,
    payload       jsonb       NOT NULL DEFAULT '{}',
    state         text        NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed', 'canceled')),
    run_at        timestamptz NOT NULL,
    lease_until   timestamptz,
    worker_id     text,
    attempts      integer     NOT NULL DEFAULT 0,
    max_attempts  integer     NOT NULL DEFAULT 3,
    last_error    text,
    result        text,
    last_run_at   timestamptz,
    schedule_id   uuid        REFERENCES ${ayb_schema}.job_schedules (id) ON DELETE SET NULL,
    -- The schedule tick this job was enqueued for; null for jobs enqueued by hand.
    scheduled_for timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    completed_at  timestamptz,
    canceled_at   timestamptz
);

-- One job per schedule tick, whatever number of instances enqueue it.
CREATE UNIQUE INDEX IF NOT EXISTS jobs_schedule_tick_key
    ON ${ayb_schema}.jobs (schedule_id, scheduled_for) WHERE scheduled_for IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_queued_idx ON ${ayb_schema}.jobs (run_at) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS jobs_running_idx ON ${ayb_schema}.jobs (lease_until) WHERE state = 'running';
CREATE INDEX IF NOT EXISTS jobs_finished_idx
    ON ${ayb_schema}.jobs (updated_at) WHERE state IN ('completed', 'failed', 'canceled');
