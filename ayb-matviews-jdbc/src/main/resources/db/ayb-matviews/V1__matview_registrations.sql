-- ayb-matviews schema, version 1: registrations and their refresh history.
-- ${ayb_schema} is the library's own schema (default "ayb"); Flyway and Liquibase users set it as a
-- placeholder / changelog parameter when they run this file themselves.

-- Not CREATE SCHEMA IF NOT EXISTS: PostgreSQL checks the CREATE privilege on the database before it looks
-- whether the schema exists, so that statement fails for a role whose schema an administrator created.
DO $$
BEGIN
    IF to_regnamespace('${ayb_schema}') IS NULL THEN
        CREATE SCHEMA ${ayb_schema};
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS ${ayb_schema}.matview_registrations (
    id                       uuid        PRIMARY KEY,
    schema_name              text        NOT NULL,
    view_name                text        NOT NULL,
    refresh_mode             text        NOT NULL CHECK (refresh_mode IN ('standard', 'concurrent')),
    lock_timeout_ms          bigint      CHECK (lock_timeout_ms > 0),
    statement_timeout_ms     bigint      CHECK (statement_timeout_ms > 0),
    last_refresh_at          timestamptz,
    last_refresh_duration_ms bigint,
    last_refresh_status      text        CHECK (last_refresh_status IN ('success', 'error')),
    last_refresh_error       text,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    CONSTRAINT matview_registrations_view_key UNIQUE (schema_name, view_name)
);

CREATE TABLE IF NOT EXISTS ${ayb_schema}.matview_refresh_runs (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_id uuid        NOT NULL REFERENCES ${ayb_schema}.matview_registrations (id) ON DELETE CASCADE,
    schema_name     text        NOT NULL,
    view_name       text        NOT NULL,
    refresh_mode    text        NOT NULL,
    trigger         text        NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL,
    duration_ms     bigint      NOT NULL,
    status          text        NOT NULL CHECK (status IN ('success', 'error')),
    error           text,
    sql_state       text
);

CREATE INDEX IF NOT EXISTS matview_refresh_runs_registration_idx
    ON ${ayb_schema}.matview_refresh_runs (registration_id, id DESC);
