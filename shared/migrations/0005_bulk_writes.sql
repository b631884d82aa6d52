-- Bulk writes: a step's many changes go to Shopify as bulk operations. Each planned change is still a job row
-- (the sync counts changes, not files), waiting as 'bulk' in its batch until the batch's result file says
-- how it went; the batch itself moves through jobs of its own (stage the file, run it, collect the results).
ALTER TABLE mutation_jobs DROP CONSTRAINT mutation_jobs_outcome_check;
ALTER TABLE mutation_jobs ADD CONSTRAINT mutation_jobs_outcome_check
    CHECK (outcome IN ('held', 'queued', 'bulk', 'running', 'retrying', 'succeeded', 'failed'));
ALTER TABLE mutation_jobs ADD COLUMN bulk_id text;
ALTER TABLE mutation_jobs ADD COLUMN bulk_line integer;
CREATE INDEX mutation_jobs_bulk ON mutation_jobs (bulk_id, bulk_line) WHERE bulk_id IS NOT NULL;
DROP INDEX mutation_jobs_unfinished;
CREATE INDEX mutation_jobs_unfinished ON mutation_jobs (domain, entity_kind, entity_key, planned_at DESC)
    WHERE outcome IN ('held', 'queued', 'bulk', 'running', 'retrying');

CREATE TABLE bulk_batches (
    bulk_id          text PRIMARY KEY,
    domain           text NOT NULL,
    sync_id          text NOT NULL REFERENCES syncs (sync_id) ON DELETE CASCADE,
    step             text NOT NULL,
    document         text NOT NULL,   -- the mutation each line's variables run through (with our batch mark)
    lines            integer NOT NULL,
    staged_path      text,            -- the staged upload's key, once the file is uploaded
    run_requested_at timestamptz,     -- set before bulkOperationRunMutation is sent: finds an operation whose answer was lost
    operation_id     text,            -- Shopify's BulkOperation id, recorded as soon as it is known
    state            text NOT NULL DEFAULT 'planned'
                     CHECK (state IN ('planned', 'staged', 'running', 'completed', 'fell_back')),
    detail           text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
