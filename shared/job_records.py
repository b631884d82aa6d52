"""PostgreSQL records of mutation jobs and of the Shopify mirror, shared by producer and mutator."""

from dataclasses import dataclass

import asyncpg

from shared.models import MutationJob


@dataclass(frozen=True)
class RecordedJob:
    job_id: str
    outcome: str
    wave: int


async def record_planned_jobs(
    conn: asyncpg.Connection, jobs: list[MutationJob], waves: list[int] | None = None
) -> list[RecordedJob]:
    """Insert the planned jobs of a sync step; return those that now belong to this sync.

    A job id already unfinished (held, queued, running, retrying) belongs to the sync that planned it first
    and is not queued twice, but its change is planned again now (`planned_at`), so an older change of the
    same entity that is still waiting is superseded by it. A finished one with the same id (the same change
    planned again, e.g. after it failed) is revived for this sync. Jobs of a wave above 0 are `held` until
    the earlier waves of their step have ended.
    """
    if not jobs:
        return []
    wave_of = waves or [0] * len(jobs)
    rows = await conn.fetch(
        """
        INSERT INTO mutation_jobs AS j (job_id, sync_id, domain, step, queue, action, entity_kind,
                                        entity_key, content_hash, payload, wave, outcome)
        SELECT u.job_id, u.sync_id, u.domain, u.step, u.queue, u.action, u.entity_kind, u.entity_key,
               u.content_hash, u.payload::jsonb, u.wave, CASE WHEN u.wave > 0 THEN 'held' ELSE 'queued' END
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                    $7::text[], $8::text[], $9::text[], $10::text[], $11::int[])
             AS u(job_id, sync_id, domain, step, queue, action, entity_kind, entity_key, content_hash, payload, wave)
        ON CONFLICT (job_id) DO UPDATE
            SET sync_id = CASE WHEN j.outcome IN ('succeeded', 'failed') THEN EXCLUDED.sync_id ELSE j.sync_id END,
                payload = CASE WHEN j.outcome IN ('succeeded', 'failed') THEN EXCLUDED.payload ELSE j.payload END,
                wave = CASE WHEN j.outcome IN ('succeeded', 'failed') THEN EXCLUDED.wave ELSE j.wave END,
                attempts = CASE WHEN j.outcome IN ('succeeded', 'failed') THEN 0 ELSE j.attempts END,
                error_class = CASE WHEN j.outcome IN ('succeeded', 'failed') THEN NULL ELSE j.error_class END,
                error_message = CASE WHEN j.outcome IN ('succeeded', 'failed') THEN NULL ELSE j.error_message END,
                started_at = CASE WHEN j.outcome IN ('succeeded', 'failed') THEN NULL ELSE j.started_at END,
                finished_at = NULL,
                outcome = CASE WHEN j.outcome IN ('succeeded', 'failed') THEN EXCLUDED.outcome ELSE j.outcome END,
                updated_at = now(), planned_at = now()
        RETURNING j.job_id, j.sync_id, j.outcome, j.wave
        """,
        [job.job_id for job in jobs],
        [job.sync_id for job in jobs],
        [job.domain for job in jobs],
        [job.step.value for job in jobs],
        [job.queue.value for job in jobs],
        [job.action.value for job in jobs],
        [job.entity_kind.value for job in jobs],
        [job.entity_key for job in jobs],
        [job.content_hash for job in jobs],
        [job.model_dump_json() for job in jobs],  # pydantic's serializer: several times json.dumps' speed
        wave_of,
    )
    sync_ids = {job.sync_id for job in jobs}
    return [RecordedJob(row["job_id"], row["outcome"], row["wave"]) for row in rows if row["sync_id"] in sync_ids]


async def mark_job_retrying(pool: asyncpg.Pool, job_id: str, message: str, *, counts: bool = True) -> None:
    """A transient failure; `counts=False` (THROTTLED) gives the attempt back: it is no failure."""
    await pool.execute(
        "UPDATE mutation_jobs SET outcome = 'retrying', error_message = $2, updated_at = now(),"
        " attempts = attempts - CASE WHEN $3 THEN 0 ELSE 1 END"
        " WHERE job_id = $1 AND outcome IN ('queued', 'running', 'retrying')",
        job_id,
        message,
        counts,
    )


async def mark_job_deferred(pool: asyncpg.Pool, job_id: str) -> None:
    """Paced: back to the queue until the shop's budget has room. Not an attempt."""
    await pool.execute(
        "UPDATE mutation_jobs SET outcome = 'queued', attempts = greatest(attempts - 1, 0), updated_at = now()"
        " WHERE job_id = $1 AND outcome IN ('queued', 'running', 'retrying')",
        job_id,
    )


async def mark_job_failed(pool: asyncpg.Pool, job_id: str, error_class: str, message: str) -> None:
    await pool.execute(
        "UPDATE mutation_jobs SET outcome = 'failed', error_class = $2, error_message = $3,"
        " finished_at = now(), updated_at = now()"
        " WHERE job_id = $1 AND outcome IN ('queued', 'running', 'retrying')",
        job_id,
        error_class,
        message,
    )
