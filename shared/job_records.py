"""PostgreSQL records of mutation jobs and of the Shopify mirror, shared by producer and mutator."""

import asyncpg

from shared.models import MutationJob


async def record_planned_jobs(conn: asyncpg.Connection, jobs: list[MutationJob]) -> list[str]:
    """Insert the planned jobs of a sync; return the ids that now need to be queued.

    A job id already unfinished (queued, running, retrying) belongs to the sync that queued it and is not
    queued twice. A finished one with the same id (the same change planned again, e.g. after it failed)
    is revived for this sync.
    """
    if not jobs:
        return []
    rows = await conn.fetch(
        """
        INSERT INTO mutation_jobs AS j (job_id, sync_id, domain, step, queue, action, entity_kind,
                                        entity_key, content_hash, payload)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                             $7::text[], $8::text[], $9::text[], $10::jsonb[])
        ON CONFLICT (job_id) DO UPDATE
            SET sync_id = EXCLUDED.sync_id, payload = EXCLUDED.payload, outcome = 'queued', attempts = 0,
                error_class = NULL, error_message = NULL, started_at = NULL, finished_at = NULL,
                updated_at = now(), planned_at = clock_timestamp()
            WHERE j.outcome IN ('succeeded', 'failed')
        RETURNING job_id
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
        [job.model_dump(mode="json") for job in jobs],
    )
    return [row["job_id"] for row in rows]


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
