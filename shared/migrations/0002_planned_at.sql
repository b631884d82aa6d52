-- When a job's change was planned (set again when a finished job id is planned anew), so a mutator can
-- tell that a newer change for the same entity exists and not overwrite it with an older one.
ALTER TABLE mutation_jobs ADD COLUMN planned_at timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX mutation_jobs_entity_planned ON mutation_jobs (domain, entity_kind, entity_key, planned_at);
