-- The resource pipeline: steps with dependencies and leases, jobs in waves, source snapshots.

-- A job of a later wave is recorded as 'held' and queued once every job of the earlier waves of its step ended.
ALTER TABLE mutation_jobs DROP CONSTRAINT mutation_jobs_outcome_check;
ALTER TABLE mutation_jobs ADD CONSTRAINT mutation_jobs_outcome_check
    CHECK (outcome IN ('held', 'queued', 'running', 'retrying', 'succeeded', 'failed'));
ALTER TABLE mutation_jobs ADD COLUMN wave integer NOT NULL DEFAULT 0;
-- Every job of one plan shares its plan's time (the transaction's), so jobs of one plan never supersede each other.
ALTER TABLE mutation_jobs ALTER COLUMN planned_at SET DEFAULT now();
CREATE INDEX mutation_jobs_unfinished ON mutation_jobs (domain, entity_kind, entity_key, planned_at DESC)
    WHERE outcome IN ('held', 'queued', 'running', 'retrying');
CREATE INDEX mutation_jobs_held ON mutation_jobs (sync_id, step, wave) WHERE outcome = 'held';
-- The queue-depth gauges (/metrics, scraped often) count every job that has not succeeded.
CREATE INDEX mutation_jobs_open_by_queue ON mutation_jobs (queue, outcome) WHERE outcome <> 'succeeded';

-- A step waits for the steps it depends on, is claimed by one producer at a time under a lease (a producer
-- that dies lets the lease run out, and another carries the step on), and ends completed or failed.
ALTER TABLE sync_steps ADD COLUMN depends_on text[] NOT NULL DEFAULT '{}';
ALTER TABLE sync_steps ADD COLUMN lease_owner text;
ALTER TABLE sync_steps ADD COLUMN lease_until timestamptz;
ALTER TABLE sync_steps ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE sync_steps ADD COLUMN counts jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE sync_steps ADD COLUMN started_at timestamptz;
ALTER TABLE sync_steps ADD COLUMN finished_at timestamptz;
-- Steps of the one-task-per-sync runner that were still pulling or planning have no owner any more.
UPDATE sync_steps SET state = 'failed' WHERE state IN ('pulling', 'planning');
ALTER TABLE sync_steps ADD CONSTRAINT sync_steps_state_check
    CHECK (state IN ('waiting', 'pulling', 'planning', 'queued', 'completed', 'failed'));
CREATE INDEX sync_steps_open ON sync_steps (state) WHERE state NOT IN ('completed', 'failed');

-- What each tenant's source held at its last good pull, one row per record (the mass-archive guard compares a
-- new pull with it; drift repair plans from it). A pull lands in staging first and is promoted in one
-- transaction.
CREATE TABLE source_snapshot (
    domain       text NOT NULL,
    resource     text NOT NULL,
    record_key   text NOT NULL,
    record       jsonb NOT NULL,
    record_hash  text NOT NULL,  -- of the record's canonical JSON: an unchanged record is not written again
    sync_id      text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (domain, resource, record_key)
);

CREATE UNLOGGED TABLE source_staging (
    sync_id      text NOT NULL,
    resource     text NOT NULL,
    record_key   text NOT NULL,
    record       jsonb NOT NULL,
    record_hash  text NOT NULL,
    PRIMARY KEY (sync_id, resource, record_key)
);
