-- One row per sync request: what it covers, where it is, what went wrong before jobs existed.
CREATE TABLE syncs (
    sync_id      text PRIMARY KEY,
    domain       text NOT NULL,
    kind         text NOT NULL,
    steps        text[] NOT NULL,
    dry_run      boolean NOT NULL DEFAULT false,
    state        text NOT NULL CHECK (state IN ('pulling', 'planning', 'queued', 'running', 'completed', 'failed')),
    errors       jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX syncs_domain_created ON syncs (domain, created_at DESC);

-- What each step of a sync planned.
CREATE TABLE sync_steps (
    sync_id          text NOT NULL REFERENCES syncs (sync_id) ON DELETE CASCADE,
    step             text NOT NULL,
    state            text NOT NULL,
    planned_creates  integer NOT NULL DEFAULT 0,
    planned_updates  integer NOT NULL DEFAULT 0,
    planned_archives integer NOT NULL DEFAULT 0,
    skipped          integer NOT NULL DEFAULT 0,
    PRIMARY KEY (sync_id, step)
);

-- One row per mutation job. The job id is deterministic for the same change (domain, entity, content).
CREATE TABLE mutation_jobs (
    job_id         text PRIMARY KEY,
    sync_id        text NOT NULL REFERENCES syncs (sync_id) ON DELETE CASCADE,
    domain         text NOT NULL,
    step           text NOT NULL,
    queue          text NOT NULL,
    action         text NOT NULL,
    entity_kind    text NOT NULL,
    entity_key     text NOT NULL,
    content_hash   text NOT NULL,
    payload        jsonb NOT NULL,
    -- queued → running → succeeded | retrying → running … | failed (kept as a dead letter with its reason)
    outcome        text NOT NULL DEFAULT 'queued'
                   CHECK (outcome IN ('queued', 'running', 'retrying', 'succeeded', 'failed')),
    attempts       integer NOT NULL DEFAULT 0,
    error_class    text,
    error_message  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mutation_jobs_sync ON mutation_jobs (sync_id, step, outcome);
CREATE INDEX mutation_jobs_domain_outcome ON mutation_jobs (domain, queue, outcome);

-- What we know Shopify holds for every entity we created or adopted, with the hash of what we last wrote.
CREATE TABLE shopify_mirror (
    domain        text NOT NULL,
    entity_kind   text NOT NULL,
    entity_key    text NOT NULL,
    shopify_id    text NOT NULL,
    content_hash  text NOT NULL,
    status        text,
    skus          text[] NOT NULL DEFAULT '{}',
    details       jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (domain, entity_kind, entity_key)
);
