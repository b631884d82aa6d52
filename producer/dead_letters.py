"""Dead letters (jobs that failed for good, kept with payload and reason) and putting jobs back in the queue."""

from typing import Any

import asyncpg
from arq import ArqRedis

from shared.jobqueue import enqueue_mutations
from shared.models import MutationJob


async def list_dead_letters(pool: asyncpg.Pool, domain: str, limit: int = 1000) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT job_id, queue, sync_id, error_class, error_message, attempts, created_at, updated_at"
        " FROM mutation_jobs WHERE domain = $1 AND outcome = 'failed' ORDER BY updated_at DESC LIMIT $2",
        domain,
        limit,
    )
    return [
        {
            "id": row["job_id"],
            "queue": row["queue"],
            "syncId": row["sync_id"],
            "errorClass": row["error_class"],
            "message": row["error_message"],
            "attempts": row["attempts"],
            "createdAt": row["created_at"].isoformat(),
            "failedAt": row["updated_at"].isoformat(),
        }
        for row in rows
    ]


async def replay_dead_letters(pool: asyncpg.Pool, job_pool: ArqRedis, domain: str, job_ids: list[str] | None) -> int:
    """Queue chosen dead letters again (all of the domain's when `job_ids` is None); they keep their sync."""
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """
            UPDATE mutation_jobs SET outcome = 'queued', attempts = 0, error_class = NULL, error_message = NULL,
                   started_at = NULL, finished_at = NULL, updated_at = now()
            WHERE domain = $1 AND outcome = 'failed' AND ($2::text[] IS NULL OR job_id = ANY($2::text[]))
            RETURNING payload
            """,
            domain,
            job_ids,
        )
    await enqueue_mutations(job_pool, [MutationJob.model_validate(row["payload"]) for row in rows])
    return len(rows)


async def requeue_stranded_jobs(pool: asyncpg.Pool, job_pool: ArqRedis, older_than_seconds: float) -> int:
    """Unfinished jobs untouched for a while are queued again in case Redis lost them (a restart without
    persistence, a crash between recording and queueing). arq refuses an id it still holds, so a job that
    is merely waiting is not doubled."""
    rows = await pool.fetch(
        "SELECT payload FROM mutation_jobs WHERE outcome IN ('queued', 'retrying', 'running')"
        " AND updated_at < now() - make_interval(secs => $1) ORDER BY updated_at LIMIT 5000",
        older_than_seconds,
    )
    return await enqueue_mutations(job_pool, [MutationJob.model_validate(row["payload"]) for row in rows])
