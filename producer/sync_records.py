"""PostgreSQL records of syncs: their state, their steps, their errors, and the status a caller reads."""

from typing import Any

import asyncpg

from producer.planning.product_plan import MirrorEntry
from shared.models import EntityKind, JobOutcome, MutationAction, SyncStep

UNFINISHED = {JobOutcome.QUEUED.value, JobOutcome.RUNNING.value, JobOutcome.RETRYING.value}


async def create_sync(
    pool: asyncpg.Pool, sync_id: str, domain: str, kind: str, steps: list[SyncStep], dry_run: bool
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "INSERT INTO syncs (sync_id, domain, kind, steps, dry_run, state) VALUES ($1,$2,$3,$4,$5,'pulling')",
            sync_id,
            domain,
            kind,
            [step.value for step in steps],
            dry_run,
        )
        await conn.executemany(
            "INSERT INTO sync_steps (sync_id, step, state) VALUES ($1, $2, 'pulling')",
            [(sync_id, step.value) for step in steps],
        )


async def set_sync_state(pool: asyncpg.Pool, sync_id: str, state: str) -> None:
    finished = state in ("completed", "failed")
    await pool.execute(
        "UPDATE syncs SET state = $2, updated_at = now(),"
        " finished_at = CASE WHEN $3 THEN now() ELSE finished_at END WHERE sync_id = $1",
        sync_id,
        state,
        finished,
    )


async def set_step_state(pool: asyncpg.Pool, sync_id: str, step: SyncStep, state: str) -> None:
    await pool.execute("UPDATE sync_steps SET state = $3 WHERE sync_id = $1 AND step = $2", sync_id, step.value, state)


async def set_step_planned(
    pool: asyncpg.Pool, sync_id: str, step: SyncStep, counts: dict[MutationAction, int], skipped: int
) -> None:
    await pool.execute(
        "UPDATE sync_steps SET planned_creates = $3, planned_updates = $4, planned_archives = $5, skipped = $6"
        " WHERE sync_id = $1 AND step = $2",
        sync_id,
        step.value,
        counts.get(MutationAction.CREATE, 0),
        counts.get(MutationAction.UPDATE, 0),
        counts.get(MutationAction.ARCHIVE, 0),
        skipped,
    )


async def add_sync_errors(pool: asyncpg.Pool, sync_id: str, errors: list[dict[str, Any]]) -> None:
    if errors:
        await pool.execute(
            "UPDATE syncs SET errors = errors || $2::jsonb, updated_at = now() WHERE sync_id = $1",
            sync_id,
            errors,
        )


async def load_mirror(pool: asyncpg.Pool, domain: str, kind: EntityKind) -> list[MirrorEntry]:
    rows = await pool.fetch(
        "SELECT entity_key, shopify_id, content_hash, status FROM shopify_mirror"
        " WHERE domain = $1 AND entity_kind = $2",
        domain,
        kind.value,
    )
    return [MirrorEntry(**dict(row)) for row in rows]


def _empty_counts() -> dict[str, dict[str, int]]:
    return {
        "planned": {"creates": 0, "updates": 0, "archives": 0},
        "progress": {"succeeded": 0, "failed": 0, "pending": 0},
    }


async def read_sync_status(pool: asyncpg.Pool, sync_id: str) -> dict[str, Any] | None:
    """The status document of the brief. `completed` only once every job of the sync has ended."""
    sync = await pool.fetchrow("SELECT * FROM syncs WHERE sync_id = $1", sync_id)
    if sync is None:
        return None
    step_rows = await pool.fetch("SELECT * FROM sync_steps WHERE sync_id = $1 ORDER BY step", sync_id)
    job_rows = await pool.fetch(
        "SELECT step, outcome, count(*) AS n FROM mutation_jobs WHERE sync_id = $1 GROUP BY step, outcome",
        sync_id,
    )
    failures = await pool.fetch(
        "SELECT entity_key, error_class, error_message FROM mutation_jobs"
        " WHERE sync_id = $1 AND outcome = 'failed' ORDER BY updated_at LIMIT 100",
        sync_id,
    )
    steps: dict[str, dict[str, Any]] = {}
    totals = _empty_counts()
    for row in step_rows:
        planned = {
            "creates": row["planned_creates"],
            "updates": row["planned_updates"],
            "archives": row["planned_archives"],
        }
        steps[row["step"]] = {
            "state": row["state"],
            "skipped": row["skipped"],
            "planned": planned,
            "progress": {"succeeded": 0, "failed": 0, "pending": 0},
        }
        for key, value in planned.items():
            totals["planned"][key] += value
    for row in job_rows:
        outcome = "pending" if row["outcome"] in UNFINISHED else row["outcome"]
        steps[row["step"]]["progress"][outcome] += row["n"]
        totals["progress"][outcome] += row["n"]
    state = sync["state"]
    if state in ("queued", "running"):
        ended = totals["progress"]["succeeded"] + totals["progress"]["failed"]
        if totals["progress"]["pending"] == 0:
            state = "completed"
        elif ended:
            state = "running"
        for step in steps.values():
            if step["state"] in ("queued", "running"):
                step_ended = step["progress"]["succeeded"] + step["progress"]["failed"]
                if step["progress"]["pending"] == 0:
                    step["state"] = "completed"
                elif step_ended:
                    step["state"] = "running"
    errors = list(sync["errors"]) + [
        {
            "kind": "mutation_failed",
            "entity": row["entity_key"],
            "errorClass": row["error_class"],
            "message": row["error_message"],
        }
        for row in failures
    ]
    return {
        "syncId": sync["sync_id"],
        "domain": sync["domain"],
        "kind": sync["kind"],
        "dryRun": sync["dry_run"],
        "state": state,
        "steps": steps,
        "totals": totals,
        "errors": errors,
        "createdAt": sync["created_at"].isoformat(),
        "finishedAt": sync["finished_at"].isoformat() if sync["finished_at"] else None,
    }
