"""Putting jobs back in the queue: dead letters replayed by an operator, and unfinished jobs Redis may have lost."""

import asyncpg
from arq import ArqRedis

from shared.jobqueue import enqueue_mutations
from shared.models import MutationJob


async def replay_dead_letters(pool: asyncpg.Pool, job_pool: ArqRedis, domain: str, job_ids: list[str] | None) -> int:
    """Queue chosen dead letters again (all of the domain's when `job_ids` is None); they keep their sync."""
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """
            UPDATE mutation_jobs SET outcome = 'queued', attempts = 0, error_class = NULL, error_message = NULL,
                   started_at = NULL, finished_at = NULL, updated_at = now(),
                   -- a new idempotency key: Shopify would answer a replayed key with the first, failed answer
                   payload = jsonb_set(payload, '{generation}',
                                       to_jsonb(coalesce((payload ->> 'generation')::int, 0) + 1))
            WHERE domain = $1 AND outcome = 'failed' AND ($2::text[] IS NULL OR job_id = ANY($2::text[]))
            RETURNING payload, sync_id, step
            """,
            domain,
            job_ids,
        )
        # Their syncs are open again until the replayed jobs end (the pipeline completes them as before).
        reopened = sorted({(row["sync_id"], row["step"]) for row in rows})
        await conn.executemany(
            "UPDATE sync_steps SET state = 'queued', finished_at = NULL WHERE sync_id = $1 AND step = $2"
            " AND state = 'completed'",
            reopened,
        )
        await conn.executemany(
            "UPDATE syncs SET state = 'running', finished_at = NULL, updated_at = now()"
            " WHERE sync_id = $1 AND state IN ('completed', 'failed')",
            sorted({(sync_id,) for sync_id, _step in reopened}),
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
