"""The read side: sync status, queue counts and dead letters, as the API (and later the dashboard and metrics)
show them. Nothing here writes."""

from typing import Any

import asyncpg

from shared.models import UNFINISHED_OUTCOMES
from shared.queues import ALL_QUEUES

PLANNED_KEYS = ("creates", "updates", "archives")
PROGRESS_KEYS = ("succeeded", "failed", "pending")


def _progress_key(outcome: str) -> str:
    return "pending" if outcome in UNFINISHED_OUTCOMES else outcome


def _step_view(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "state": row["state"],
        "skipped": row["skipped"],
        "planned": {key: row[f"planned_{key}"] for key in PLANNED_KEYS},
        "progress": dict.fromkeys(PROGRESS_KEYS, 0),
        "dependsOn": list(row["depends_on"]),
        **({"counts": row["counts"]} if row["counts"] else {}),
    }


def _live_state(stored: str, steps: dict[str, dict[str, Any]]) -> str:
    """`pulling` → `planning` → `queued` → `running` → `completed` | `failed`, from the steps and their jobs."""
    if stored in ("completed", "failed"):
        return stored
    if any(step["progress"]["succeeded"] + step["progress"]["failed"] for step in steps.values()):
        return "running"
    states = {step["state"] for step in steps.values()}
    if states & {"queued", "completed", "failed"}:
        return "queued"
    if "planning" in states:
        return "planning"
    return "pulling"


async def sync_status(pool: asyncpg.Pool, sync_id: str) -> dict[str, Any] | None:
    """The status document of the brief. `completed` only once every job of every step has ended."""
    sync = await pool.fetchrow("SELECT * FROM syncs WHERE sync_id = $1", sync_id)
    if sync is None:
        return None
    step_rows = await pool.fetch("SELECT * FROM sync_steps WHERE sync_id = $1 ORDER BY step", sync_id)
    job_rows = await pool.fetch(
        # A bulk operation's own jobs (upload, run, collect) are not changes: the status counts its lines.
        "SELECT step, queue, outcome, count(*) AS n FROM mutation_jobs WHERE sync_id = $1"
        " AND entity_kind <> 'bulk_operation' GROUP BY step, queue, outcome",
        sync_id,
    )
    failures = await pool.fetch(
        "SELECT step, entity_key, error_class, error_message FROM mutation_jobs"
        " WHERE sync_id = $1 AND outcome = 'failed' ORDER BY updated_at LIMIT 100",
        sync_id,
    )
    steps = {row["step"]: _step_view(row) for row in step_rows}
    for row in job_rows:
        step = steps[row["step"]]
        step["progress"][_progress_key(row["outcome"])] += row["n"]
        # A step's jobs per queue (a Promidata step has products and images): jobs, and how they ended.
        queue = step.setdefault("queues", {}).setdefault(
            row["queue"], {"jobs": 0, "progress": dict.fromkeys(PROGRESS_KEYS, 0)}
        )
        queue["jobs"] += row["n"]
        queue["progress"][_progress_key(row["outcome"])] += row["n"]
    for step in steps.values():
        if step["state"] == "queued" and step["progress"]["succeeded"] + step["progress"]["failed"]:
            step["state"] = "running"
    totals = {
        "planned": {key: sum(step["planned"][key] for step in steps.values()) for key in PLANNED_KEYS},
        "progress": {key: sum(step["progress"][key] for step in steps.values()) for key in PROGRESS_KEYS},
    }
    errors = list(sync["errors"]) + [
        {
            "kind": "mutation_failed",
            "step": row["step"],
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
        "state": _live_state(sync["state"], steps),
        "steps": steps,
        "totals": totals,
        "errors": errors,
        "createdAt": sync["created_at"].isoformat(),
        "finishedAt": sync["finished_at"].isoformat() if sync["finished_at"] else None,
    }


async def recent_syncs(pool: asyncpg.Pool, domains: list[str] | None, limit: int) -> list[str]:
    """Ids of the newest syncs of these domains (None: every domain), newest first."""
    rows = await pool.fetch(
        "SELECT sync_id FROM syncs WHERE $1::text[] IS NULL OR domain = ANY($1::text[])"
        " ORDER BY created_at DESC LIMIT $2",
        domains,
        limit,
    )
    return [row["sync_id"] for row in rows]


_COUNT_NAME = {
    "held": "queued",
    "queued": "queued",
    "bulk": "inProgress",  # a line of a bulk operation Shopify is running (or about to)
    "running": "inProgress",
    "retrying": "retrying",
    "failed": "deadLettered",
    "succeeded": "done",
}


async def queue_counts(
    pool: asyncpg.Pool, domains: list[str] | None, *, open_only: bool = False
) -> dict[str, dict[str, int]]:
    """Jobs per queue and state, from the job records (so they can be scoped by domain); None: every tenant.
    `open_only` leaves out the jobs that succeeded (cheap: a partial index), for the gauges scraped often."""
    counts = {queue.value: dict.fromkeys(sorted(set(_COUNT_NAME.values())), 0) for queue in ALL_QUEUES}
    which = "outcome <> 'succeeded'" if open_only else "true"  # a literal, so the partial index applies
    rows = await pool.fetch(
        "SELECT queue, outcome, count(*) AS n FROM mutation_jobs"
        f" WHERE ($1::text[] IS NULL OR domain = ANY($1::text[])) AND {which} GROUP BY queue, outcome",
        domains,
    )
    for row in rows:
        counts.setdefault(row["queue"], dict.fromkeys(sorted(set(_COUNT_NAME.values())), 0))
        counts[row["queue"]][_COUNT_NAME[row["outcome"]]] += row["n"]
    return counts


async def dead_letters(pool: asyncpg.Pool, domain: str, limit: int = 1000) -> list[dict[str, Any]]:
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
