"""Group commit for the two records every job writes: jobs hand them over and wait, and one writer
stores all that arrived meanwhile in a single statement. Same durability (a job returns only once its
record is committed), a fraction of the round trips under load."""

import asyncio
import contextlib
import json
from dataclasses import dataclass
from typing import Any

import asyncpg

from shared.models import MirrorRow, MutationJob

MAX_BATCH = 256

_MARK_RUNNING = """
UPDATE mutation_jobs AS j SET outcome = 'running', attempts = j.attempts + 1,
       started_at = coalesce(j.started_at, now()), updated_at = now()
FROM unnest($1::text[]) AS u(job_id)
WHERE j.job_id = u.job_id AND j.outcome IN ('queued', 'running', 'retrying')
RETURNING j.job_id, j.attempts, EXISTS (
    SELECT 1 FROM mutation_jobs AS newer
    WHERE newer.domain = j.domain AND newer.entity_kind = j.entity_kind AND newer.entity_key = j.entity_key
      AND newer.planned_at > j.planned_at
) AS superseded
"""

_MARK_SUPERSEDED = """
UPDATE mutation_jobs SET outcome = 'succeeded', error_message = 'superseded by a newer change of this entity',
       finished_at = now(), updated_at = now()
WHERE job_id = $1
"""

# A row's hash or status given as NULL keeps the mirror's; details are merged key by key (see MirrorRow).
_MARK_SUCCEEDED = """
WITH done AS (
    UPDATE mutation_jobs AS j SET outcome = 'succeeded', error_class = NULL, error_message = NULL,
           finished_at = now(), updated_at = now()
    FROM unnest($1::text[]) AS u(job_id) WHERE j.job_id = u.job_id
)
INSERT INTO shopify_mirror AS m (domain, entity_kind, entity_key, shopify_id, content_hash, status, skus, details)
SELECT domain, kind, entity_key, shopify_id, coalesce(content_hash, ''), status,
       ARRAY(SELECT jsonb_array_elements_text(skus::jsonb)), details
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])
     AS t(domain, kind, entity_key, shopify_id, content_hash, status, skus, details)
ON CONFLICT (domain, entity_kind, entity_key) DO UPDATE
    SET shopify_id = EXCLUDED.shopify_id,
        content_hash = CASE WHEN EXCLUDED.content_hash = '' THEN m.content_hash ELSE EXCLUDED.content_hash END,
        status = coalesce(EXCLUDED.status, m.status),
        skus = EXCLUDED.skus, details = m.details || EXCLUDED.details, updated_at = now()
"""


@dataclass(frozen=True)
class Start:
    attempts: int | None
    superseded: bool


@dataclass
class _Success:
    job: MutationJob
    rows: list[MirrorRow]
    done: "asyncio.Future[None]"


class JobRecordBatcher:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool
        self._running: list[tuple[str, asyncio.Future[Start]]] = []
        self._succeeded: list[_Success] = []
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._write_forever(), name="job-record-batcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._flush()  # whatever was handed over last

    async def mark_running(self, job_id: str) -> Start:
        """Count one more attempt. `attempts` is None when the job is unknown or already finished (a stale
        delivery); `superseded` when a newer change of the same entity was planned after this one."""
        future: asyncio.Future[Start] = asyncio.get_running_loop().create_future()
        self._running.append((job_id, future))
        self._wakeup.set()
        return await future

    async def mark_succeeded(self, job: MutationJob, rows: list[MirrorRow]) -> None:
        """Record success and what Shopify now holds for the entities the job wrote (every row has its id)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._succeeded.append(_Success(job, rows, future))
        self._wakeup.set()
        await future

    async def mark_superseded(self, job_id: str) -> None:
        """Ended without sending: a newer change of the same entity will write (or wrote) the newer state."""
        await self._pool.execute(_MARK_SUPERSEDED, job_id)

    async def _write_forever(self) -> None:
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            await self._flush()

    async def _flush(self) -> None:
        while self._running or self._succeeded:
            running, self._running = self._running[:MAX_BATCH], self._running[MAX_BATCH:]
            succeeded, self._succeeded = self._succeeded[:MAX_BATCH], self._succeeded[MAX_BATCH:]
            await asyncio.gather(self._write_running(running), self._write_succeeded(succeeded))

    async def _write_running(self, batch: list[tuple[str, "asyncio.Future[Start]"]]) -> None:
        if not batch:
            return
        try:
            rows = await self._pool.fetch(_MARK_RUNNING, [job_id for job_id, _ in batch])
        except Exception as exc:
            for _, future in batch:
                _fail(future, exc)
            return
        started = {row["job_id"]: Start(row["attempts"], row["superseded"]) for row in rows}
        for job_id, future in batch:
            if not future.done():
                future.set_result(started.get(job_id, Start(None, False)))

    async def _write_succeeded(self, batch: list[_Success]) -> None:
        if not batch:
            return
        # One row per entity and statement: a later success for the same entity wins.
        latest = {
            (s.job.domain, row.entity_kind.value, row.entity_key): (s.job.domain, row) for s in batch for row in s.rows
        }
        rows = list(latest.values())
        try:
            await self._pool.execute(
                _MARK_SUCCEEDED,
                [s.job.job_id for s in batch],
                [domain for domain, _ in rows],
                [row.entity_kind.value for _, row in rows],
                [row.entity_key for _, row in rows],
                [row.shopify_id for _, row in rows],
                [row.content_hash for _, row in rows],
                [row.status for _, row in rows],
                [json.dumps(row.skus) for _, row in rows],  # text: asyncpg reads nested lists as dimensions
                [row.details for _, row in rows],
            )
        except Exception as exc:
            for success in batch:
                _fail(success.done, exc)
            return
        for success in batch:
            if not success.done.done():
                success.done.set_result(None)


def _fail(future: "asyncio.Future[Any]", exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)
